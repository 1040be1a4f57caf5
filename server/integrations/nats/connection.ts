import { connect, type NatsConnection } from 'nats'
import type { Logger } from '../../platform/logger'

/**
 * One NATS connection per process, reconnecting forever. Callers that need it await
 * `connection()`; while NATS is down, work stays in the database outbox.
 */
export class NatsLink {
  private nc: NatsConnection | undefined
  private connecting: Promise<NatsConnection> | undefined
  private closed = false

  constructor(private readonly url: string, private readonly log: Logger) {}

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
        const nc = await connect({ servers: this.url, name: 'cairn', maxReconnectAttempts: -1, reconnectTimeWait: 1000, timeout: 5000 })
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
