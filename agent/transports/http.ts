import type { AgentConfig } from '../config'
import { cairnFetch } from '../cairn'
import type { Ack } from '../journal'
import { errorMessage, error as logError, info, sleep, warn } from '../log'
import type { Runner } from '../runner'

// The HTTP queue with long-poll: GET /api/agent/queue?wait=25 returns as soon as a message is
// waiting. Used alone (CAIRN_NATS=off, or no NATS offered) or as the slow safety net beside NATS.

const WAIT_S = 25

export async function ackOverHttp(config: AgentConfig, acks: Ack[]): Promise<boolean> {
  try {
    const res = await cairnFetch(config, '/api/agent/acks', { method: 'POST', body: JSON.stringify({ acks }) })
    if (res.status === 401) logError('token_refused', { hint: 'the companion token is unknown, or the license is suspended or revoked' })
    return res.ok
  }
  catch {
    return false
  }
}

export class HttpTransport {
  private stopped = false
  private readonly abort = new AbortController()
  private loop: Promise<void> | undefined

  constructor(private readonly config: AgentConfig, private readonly runner: Runner, private readonly opts: { longPoll: boolean, intervalMs: number }) {}

  start(): void {
    info('transport_http', { url: this.config.url, long_poll: this.opts.longPoll })
    this.loop = this.run()
  }

  private async run(): Promise<void> {
    let failures = 0
    // The first poll takes everything open at once (e.g. after a restart); later ones wait.
    let first = true
    while (!this.stopped) {
      const started = Date.now()
      let fresh = 0
      const wait = this.opts.longPoll && !first ? WAIT_S : 0
      first = false
      try {
        const res = await cairnFetch(this.config, `/api/agent/queue?wait=${wait}`, { signal: this.abort.signal, timeoutMs: (wait + 15) * 1000 })
        if (res.status === 401) {
          logError('token_refused', { hint: 'the companion token is unknown, or the license is suspended or revoked; retrying in 60 s' })
          await this.nap(60_000)
          continue
        }
        if (!res.ok) throw new Error(`queue answered HTTP ${res.status}`)
        const body = await res.json() as { deliveries?: unknown[], module_installs?: unknown[] }
        for (const m of body.deliveries ?? []) if (this.runner.accept('delivery', m, 'http').outcome === 'running') fresh++
        for (const m of body.module_installs ?? []) if (this.runner.accept('module_install', m, 'http').outcome === 'running') fresh++
        if (failures > 0) info('cairn_reachable', { url: this.config.url })
        failures = 0
      }
      catch (e) {
        if (this.stopped) return
        failures++
        if (failures === 1 || failures % 10 === 0) warn('cairn_unreachable', { url: this.config.url, error: errorMessage(e) })
        await this.nap(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)))
        continue
      }
      if (!this.opts.longPoll) await this.nap(this.opts.intervalMs)
      // A held poll that came back at once with nothing new (re-sends of messages in progress, or
      // a server without long-poll): do not spin.
      else if (wait > 0 && fresh === 0 && Date.now() - started < 1000) await this.nap(2000)
    }
  }

  private nap(ms: number): Promise<void> {
    return Promise.race([sleep(ms), new Promise<void>(resolve => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }))])
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort()
    await this.loop?.catch(() => {})
  }
}
