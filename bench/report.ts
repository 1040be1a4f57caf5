// One row per goal of issue 14: the measured figure, its goal and PASS/FAIL, printed as a table.
import { readFileSync } from 'node:fs'

export interface Row {
  measure: string
  figure: string
  goal: string
  pass: boolean
}

export function printRows(rows: Row[]): void {
  const width = (pick: (r: Row) => string, title: string) => Math.max(title.length, ...rows.map(r => pick(r).length))
  const m = width(r => r.measure, 'measure')
  const f = width(r => r.figure, 'figure')
  const g = width(r => r.goal, 'goal')
  const line = (a: string, b: string, c: string, d: string) => `| ${a.padEnd(m)} | ${b.padEnd(f)} | ${c.padEnd(g)} | ${d.padEnd(6)} |`
  console.log(line('measure', 'figure', 'goal', 'result'))
  console.log(`|${'-'.repeat(m + 2)}|${'-'.repeat(f + 2)}|${'-'.repeat(g + 2)}|--------|`)
  for (const r of rows) console.log(line(r.measure, r.figure, r.goal, r.pass ? 'PASS' : 'FAIL'))
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : NaN
}

/** Runs `fn` while sampling `pid`'s RSS every 10 ms; returns its result and the peak growth in MB. */
export async function withRssPeak<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T, growthMb: number }> {
  const before = rssMb(pid)
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid))
  }, 10)
  try {
    const result = await fn()
    peak = Math.max(peak, rssMb(pid))
    return { result, growthMb: peak - before }
  }
  finally {
    clearInterval(timer)
  }
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`
