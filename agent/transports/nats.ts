import { createUser } from '@nats-io/nkeys'
import { connect, jwtAuthenticator, type ConnectionOptions, type JsMsg, type NatsConnection } from 'nats'
import type { AgentConfig } from '../config'
import { cairnFetch } from '../cairn'
import type { Ack, Kind } from '../journal'
import { errorMessage, info, sleep, warn } from '../log'
import type { Runner } from '../runner'

// JetStream pull consumers on the license's two durable consumers (docs/agent-contract.md).
// CAIRN_NATS=auto asks Cairn for short-lived credentials made for this agent's own nkey (the seed
// never leaves this process) and renews them before they expire; an explicit nats:// URL is used
// without credentials (a trusted network).

const STREAM = 'CAIRN_AGENT'

interface Credentials {
  servers: string[]
  jwt: string
  inbox_prefix: string
  expires_at: string
  stream: string
  consumers: { deliveries: string, modules: string }
  ack_subject: string
}

export type NatsSetup = { kind: 'use', transport: NatsTransport } | { kind: 'http', reason: string }

export class NatsTransport {
  private nc: NatsConnection | undefined
  private stopped = false
  private jwt = ''
  private readonly loops: Promise<void>[] = []
  private renewTimer: NodeJS.Timeout | undefined

  private constructor(
    private readonly config: AgentConfig,
    private readonly runner: Runner,
    private readonly names: { stream: string, deliveries: string, modules: string, ackSubject: string },
    private readonly seed?: Uint8Array,
  ) {}

  /** Decides the transport: NATS (with or without credentials) or HTTP with the reason. */
  static async setup(config: AgentConfig, runner: Runner): Promise<NatsSetup> {
    const id = config.licenseId
    const defaults = { stream: STREAM, deliveries: `agent_${id}_deliveries`, modules: `agent_${id}_modules`, ackSubject: `cairn.agent.${id}.acks` }
    if (config.nats === 'off') return { kind: 'http', reason: 'CAIRN_NATS=off' }
    if (config.nats !== 'auto') {
      const t = new NatsTransport(config, runner, defaults)
      await t.open({ servers: config.nats })
      return { kind: 'use', transport: t }
    }
    const user = createUser()
    const first = await NatsTransport.credentials(config, user.getPublicKey())
    if (first.kind === 'http') return first
    const c = first.creds
    const t = new NatsTransport(config, runner, { stream: c.stream, deliveries: c.consumers.deliveries, modules: c.consumers.modules, ackSubject: c.ack_subject }, user.getSeed())
    t.jwt = c.jwt
    await t.open({ servers: c.servers, inboxPrefix: c.inbox_prefix, authenticator: jwtAuthenticator(() => t.jwt, () => t.seed!) })
    t.scheduleRenewal(user.getPublicKey(), c.expires_at)
    return { kind: 'use', transport: t }
  }

  private static async credentials(config: AgentConfig, publicKey: string): Promise<{ kind: 'creds', creds: Credentials } | { kind: 'http', reason: string }> {
    const res = await cairnFetch(config, '/api/agent/nats-credentials', { method: 'POST', body: JSON.stringify({ public_key: publicKey }) })
    if (res.status === 404 || res.status === 409) return { kind: 'http', reason: `this Cairn does not issue NATS credentials (HTTP ${res.status})` }
    if (!res.ok) throw new Error(`nats-credentials answered HTTP ${res.status}`)
    return { kind: 'creds', creds: await res.json() as Credentials }
  }

  private scheduleRenewal(publicKey: string, expiresAt: string): void {
    // Renew at 80 % of the remaining lifetime; the authenticator hands the new JWT to every reconnect.
    const ms = Math.max(5_000, (Date.parse(expiresAt) - Date.now()) * 0.8)
    this.renewTimer = setTimeout(() => void this.renew(publicKey), ms)
    this.renewTimer.unref()
  }

  private async renew(publicKey: string): Promise<void> {
    if (this.stopped) return
    try {
      const r = await NatsTransport.credentials(this.config, publicKey)
      if (r.kind === 'creds') {
        this.jwt = r.creds.jwt
        info('nats_credentials_renewed', { expires_at: r.creds.expires_at })
        this.scheduleRenewal(publicKey, r.creds.expires_at)
        return
      }
      warn('nats_credentials_withdrawn', { reason: r.reason })
    }
    catch (e) {
      warn('nats_credentials_renew_failed', { error: errorMessage(e), retry_s: 30 })
      this.renewTimer = setTimeout(() => void this.renew(publicKey), 30_000)
      this.renewTimer.unref()
    }
  }

  private async open(options: ConnectionOptions): Promise<void> {
    this.nc = await connect({ ...options, name: `cairn-agent-${this.config.licenseId}`, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 1000 })
    info('nats_connected', { server: this.nc.getServer() })
  }

  start(): void {
    this.loops.push(this.consume('delivery', this.names.deliveries), this.consume('module_install', this.names.modules))
  }

  /** Acks by NATS request; false (try HTTP) when no Cairn replica answers. */
  async sendAcks(acks: Ack[]): Promise<boolean> {
    const nc = this.nc
    if (!nc || nc.isClosed()) return false
    try {
      const reply = await nc.request(this.names.ackSubject, new TextEncoder().encode(JSON.stringify({ acks })), { timeout: 3000 })
      return (JSON.parse(new TextDecoder().decode(reply.data)) as { ok?: boolean }).ok === true
    }
    catch {
      return false
    }
  }

  private async consume(kind: Kind, name: string): Promise<void> {
    const nc = this.nc!
    const js = nc.jetstream()
    let told = false
    while (!this.stopped && !nc.isClosed()) {
      try {
        const consumer = await js.consumers.get(this.names.stream, name)
        const messages = await consumer.consume({ max_messages: 50 })
        info('nats_consuming', { consumer: name })
        told = false
        for await (const m of messages) {
          if (this.stopped) break
          this.onMessage(kind, m)
        }
      }
      catch (e) {
        // Cairn creates the consumer with the first message of its kind; the HTTP safety net covers meanwhile.
        if (!told) warn('nats_consumer_unavailable', { consumer: name, error: errorMessage(e), retry_s: 2 })
        told = true
        await sleep(2000)
      }
    }
  }

  private onMessage(kind: Kind, m: JsMsg): void {
    let body: unknown
    try {
      body = JSON.parse(new TextDecoder().decode(m.data))
    }
    catch {
      body = undefined
    }
    const id = typeof (body as { id?: unknown } | undefined)?.id === 'string' ? (body as { id: string }).id : undefined
    const msgId = m.headers?.get('Nats-Msg-Id')
    if (!id || msgId !== id) {
      // Not one of Cairn's messages for this consumer (JetStream can be made to answer into our inbox).
      warn('message_dropped', { transport: 'nats', kind, reason: 'Nats-Msg-Id does not match the message id', id: id ?? null })
      m.term()
      return
    }
    const { outcome, acked } = this.runner.accept(kind, body, 'nats')
    if (outcome === 'dropped') {
      m.term()
      return
    }
    // Keep JetStream from re-delivering while a long delivery (an offline player) runs.
    const progress = setInterval(() => m.working(), 20_000)
    void acked.then(() => {
      clearInterval(progress)
      m.ack()
    })
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.renewTimer)
    await this.nc?.drain().catch(() => {})
    await Promise.allSettled(this.loops)
  }
}
