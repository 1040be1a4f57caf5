import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { pollFor } from './poll'
import { ROOT } from './server'

// Runs the reference agent (scripts/agent-sim.ts) as a child process with --json and collects
// the events it prints, so tests observe exactly what an operator would see.

export interface AgentSimEvent {
  event: 'ready' | 'waiting' | 'consuming' | 'received' | 'acked' | 'ack_failed' | 'error' | 'timeout'
  transport?: 'nats' | 'http'
  via?: 'nats' | 'http'
  kind?: 'delivery' | 'module_install'
  id?: string
  duplicate?: boolean
  status?: 'done' | 'failed'
  detail?: string | null
  result?: string
  message?: Record<string, unknown>
  [key: string]: unknown
}

export interface AgentSim {
  events: AgentSimEvent[]
  stderr: () => string
  waitFor(predicate: (e: AgentSimEvent) => boolean, timeoutMs?: number): Promise<AgentSimEvent>
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  stop(): Promise<void>
}

export function startAgentSim(args: string[]): AgentSim {
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts/agent-sim.ts'), '--json', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const events: AgentSimEvent[] = []
  let buffer = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim()
      buffer = buffer.slice(nl + 1)
      if (line) events.push(JSON.parse(line) as AgentSimEvent)
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return {
    events,
    stderr: () => err,
    exited,
    waitFor(predicate, timeoutMs = 20_000) {
      return pollFor(() => events.find(predicate), {
        timeoutMs,
        stop: () => child.exitCode !== null,
        failure: () => `agent-sim: expected event not seen (exit ${child.exitCode}); events: ${JSON.stringify(events.map(e => [e.event, e.kind, e.transport ?? e.via, e.id]))}; stderr: ${err.slice(-500)}`,
      })
    },
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    },
  }
}
