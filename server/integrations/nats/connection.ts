import { readFileSync } from 'node:fs'
import { connect, credsAuthenticator, type ConnectionOptions, type NatsConnection } from 'nats'
import type { Logger } from '../../platform/logger'

/**
 * One NATS connection per process, reconnecting forever. Callers that need it await
 * `connection()`; while NATS is down, work stays in the database outbox.
 */
export class NatsLink {
  private nc: NatsConnection | undefined
  private connecting: Promise<NatsConnection> | undefined
  private closed = false

  /** `credsFile`: Cairn's own .creds (operator mode); unset → no credentials (a trusted network). */
  constructor(private readonly url: string, private readonly log: Logger, private readonly credsFile?: string) {}

  private options(): ConnectionOptions {
    const options: ConnectionOptions = { servers: this.url, name: 'cairn', maxReconnectAttempts: -1, reconnectTimeWait: 1000, timeout: 5000 }
    // Read at every (re)connect, so a renewed creds file is picked up without a restart.
    const file = this.credsFile
    if (file) options.authenticator = credsAuthenticator(() => readFileSync(file))
    return options
  }

  status(): 'ok' | 'down' {
    return this.nc && !this.nc.isClosed() && !this.reconnecting ? 'ok' : 'down'
  }

  private reconnecting = false

  connection(): Promise<NatsConnection> {
    if (this.nc && !this.nc.isClosed()) return Promise.resolve(this.nc)
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined
    })
    return this.connecting
  }

  private async open(): Promise<NatsConnection> {
    for (let delay = 500; !this.closed; delay = Math.min(delay * 2, 10_000)) {
      try {
        const nc = await connect(this.options())
        this.nc = nc
        this.reconnecting = false
        this.watch(nc)
        this.log.info('nats connected', { server: nc.getServer() })
        return nc
      }
      catch (error) {
        this.log.warn('nats connect failed, retrying', { error: (error as Error).message, retry_ms: delay })
        await new Promise(resolve => setTimeout(resolve, delay))
      }
    }
    throw new Error('nats link closed')
  }

  private watch(nc: NatsConnection) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnecting') this.reconnecting = true
        if (s.type === 'reconnect') {
          this.reconnecting = false
          this.log.info('nats reconnected')
        }
      }
    })().catch(() => {})
  }

  async close(): Promise<void> {
    this.closed = true
    await this.nc?.drain().catch(() => {})
  }
}
