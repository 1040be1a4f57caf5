import { Rcon } from 'rcon-client'
import { errorMessage, info, sleep, warn, error as logError } from '../log'
import { NotSent, parsePlayerList, type Executor } from './types'

// RCON through rcon-client, one command at a time (what Minecraft handles reliably). The
// connection is kept open and re-opened with backoff (1 s doubling to 30 s) when the game
// server restarts; commands wait for it meanwhile.

export interface RconSettings {
  host: string
  port: number
  password: string
  timeoutMs: number
  onlineCommand: string
}

export class RconExecutor implements Executor {
  readonly name = 'rcon' as const
  private conn: Rcon | undefined
  private connecting: Promise<Rcon> | undefined
  private closed = false
  private chain: Promise<unknown> = Promise.resolve()

  constructor(private readonly s: RconSettings) {}

  ready(): Promise<void> {
    return this.connection().then(() => undefined)
  }

  private connection(): Promise<Rcon> {
    if (this.conn) return Promise.resolve(this.conn)
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined
    })
    return this.connecting
  }

  private async open(): Promise<Rcon> {
    let lastProblem = ''
    for (let delay = 1000; !this.closed; delay = Math.min(delay * 2, 30_000)) {
      const rcon = new Rcon({ host: this.s.host, port: this.s.port, password: this.s.password, timeout: this.s.timeoutMs })
      rcon.on('error', () => {}) // socket errors surface as 'end' and failed sends
      try {
        await rcon.connect()
        // One small packet per command: do not let Nagle hold it back.
        rcon.socket?.setNoDelay(true)
        rcon.on('end', () => {
          if (this.conn === rcon) this.conn = undefined
          if (!this.closed) warn('rcon_disconnected', { host: this.s.host, port: this.s.port })
        })
        this.conn = rcon
        info('rcon_connected', { host: this.s.host, port: this.s.port })
        return rcon
      }
      catch (e) {
        const message = errorMessage(e)
        const problem = message === 'Authentication failed'
          ? 'rcon_auth_failed'
          : 'rcon_unreachable'
        if (problem !== lastProblem || delay >= 30_000) {
          if (problem === 'rcon_auth_failed') logError(problem, { host: this.s.host, port: this.s.port, hint: 'RCON_PASSWORD does not match rcon.password in server.properties', retry_s: delay / 1000 })
          else warn(problem, { host: this.s.host, port: this.s.port, error: message, retry_s: delay / 1000 })
        }
        lastProblem = problem
        await sleep(delay)
      }
    }
    throw new NotSent('agent stopping')
  }

  /** One command at a time, in call order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn)
    this.chain = run.catch(() => {})
    return run
  }

  send(command: string, beforeWrite?: () => void): Promise<string> {
    return this.serial(async () => {
      const rcon = await this.connection()
      if (!rcon.authenticated || !rcon.socket?.writable) {
        this.conn = undefined
        throw new NotSent('rcon connection lost before sending')
      }
      beforeWrite?.()
      return rcon.send(command)
    })
  }

  async onlinePlayers(): Promise<Set<string>> {
    return parsePlayerList(await this.send(this.s.onlineCommand))
  }

  async close(): Promise<void> {
    this.closed = true
    await this.chain.catch(() => {})
    await this.conn?.end().catch(() => {})
  }
}
