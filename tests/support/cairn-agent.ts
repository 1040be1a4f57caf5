import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The shipped agent as a customer runs it: the file downloaded from the built server, started
// with node as a child process, its JSON log lines collected.

export type LogLine = Record<string, unknown> & { event: string }

export interface AgentProcess {
  child: ChildProcess
  logs: LogLine[]
  stateDir: string
  modulesDir: string
  /** Resolves with the first log line (already seen or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>
  exited: Promise<number | null>
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

let downloaded: string | undefined

/** GET /downloads/cairn-agent.mjs from the server under test, saved once per test file. */
export async function downloadAgent(baseUrl: string): Promise<string> {
  if (downloaded) return downloaded
  const res = await fetch(`${baseUrl}/downloads/cairn-agent.mjs`)
  if (res.status !== 200) throw new Error(`agent download answered ${res.status}`)
  const file = join(mkdtempSync(join(tmpdir(), 'cairn-agent-bin-')), 'cairn-agent.mjs')
  writeFileSync(file, Buffer.from(await res.arrayBuffer()))
  downloaded = file
  return file
}

export function newAgentDirs(): { stateDir: string, modulesDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'cairn-agent-run-'))
  return { stateDir: join(root, 'state'), modulesDir: join(root, 'plugins') }
}

export function startAgentProcess(file: string, env: Record<string, string>, dirs = newAgentDirs()): AgentProcess {
  const child = spawn(process.execPath, [file], {
    env: { PATH: process.env.PATH ?? '', CAIRN_STATE_DIR: dirs.stateDir, CAIRN_MODULES_DIR: dirs.modulesDir, CAIRN_ONLINE_CHECK_S: '0.2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: LogLine[] = []
  const waiters = new Set<() => void>()
  let partial = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString()
    const lines = partial.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine)
      }
      catch {
        logs.push({ event: 'non_json_line', line })
      }
    }
    for (const w of waiters) w()
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return {
    child,
    logs,
    ...dirs,
    exited,
    waitForLog(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.find(match)
          if (!found) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching agent log line within ${timeoutMs} ms; got:\n${logs.map(l => JSON.stringify(l)).join('\n')}\nstderr: ${stderr}`))
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}
