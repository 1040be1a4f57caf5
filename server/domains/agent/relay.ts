import { and, asc, eq, inArray, lte } from 'drizzle-orm'
import { headers as natsHeaders, type JetStreamManager, type NatsConnection } from 'nats'
import { deliveries, licenses, type DeliveryRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import type { NatsLink } from '../../integrations/nats/connection'
import { ensureAgentConsumer, ensureAgentStream, isSubjectFull } from '../../integrations/nats/jetstream'
import { onOutbox } from './signal'
import { subjectFor } from '../../integrations/nats/subjects'
import { AGENT_RESEND_FIRST_SECONDS, AGENT_RESEND_MAX_MINUTES } from '../../../shared/contracts/limits'

// Publishes due outbox rows to JetStream and marks them sent. Rows are claimed with
// FOR UPDATE SKIP LOCKED inside a transaction, so any number of replicas can run this at once
// without publishing a row twice concurrently. A row whose publish fails stays as it was.

export interface RelayOptions {
  pollMs?: number
  batchSize?: number
  /** First re-send delay for an unacknowledged row; doubles per attempt up to `maxResendMs`. */
  resendBaseMs?: number
  maxResendMs?: number
  publishTimeoutMs?: number
}

export function resendDelayMs(attempts: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1))
}

export class OutboxRelay {
  private stopped = false
  private wake: (() => void) | undefined
  private pendingSignal = false
  private jsm: JetStreamManager | undefined
  private jsmFor: NatsConnection | undefined
  private readonly consumers = new Set<string>()
  private lastWarn = 0
  private readonly opts: Required<RelayOptions>
  private loop: Promise<void> | undefined
  private unsubscribe: (() => void) | undefined

  constructor(private readonly deps: Deps & { nats: NatsLink }, options: RelayOptions = {}) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as RelayOptions
    this.opts = { pollMs: 1000, batchSize: 100, resendBaseMs: AGENT_RESEND_FIRST_SECONDS * 1000, maxResendMs: AGENT_RESEND_MAX_MINUTES * 60_000, publishTimeoutMs: 5000, ...defined }
  }

  start(): void {
    this.unsubscribe = onOutbox(() => this.kick())
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    this.kick()
    await this.loop
  }

  kick(): void {
    this.pendingSignal = true
    this.wake?.()
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.pendingSignal = false
      try {
        // Drain: keep going while full batches come back.
        while (!this.stopped && (await this.tick()) >= this.opts.batchSize) { /* next batch */ }
      }
      catch (error) {
        this.warn('outbox relay tick failed', error)
      }
      if (this.stopped || this.pendingSignal) continue
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.pollMs)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = undefined
    }
  }

  private warn(msg: string, error: unknown) {
    const now = this.deps.clock.now().getTime()
    if (now - this.lastWarn < 10_000) return
    this.lastWarn = now
    this.deps.log.warn(msg, { error: (error as Error).message })
  }

  private async manager(nc: NatsConnection): Promise<JetStreamManager> {
    if (!this.jsm || this.jsmFor !== nc) {
      this.jsm = await ensureAgentStream(nc, this.deps.log)
      this.jsmFor = nc
      this.consumers.clear()
    }
    return this.jsm
  }

  /** Publishes one batch of due rows; returns how many rows were claimed. */
  async tick(): Promise<number> {
    const { db, nats: link, clock } = this.deps
    // NATS down: do nothing, the rows wait in the database and go out on reconnect.
    if (link.status() !== 'ok') return 0
    const nc = await link.connection()
    const jsm = await this.manager(nc)
    const js = nc.jetstream()
    return db.transaction(async (t) => {
      const now = clock.now()
      const due = await t.select({ row: deliveries }).from(deliveries)
        .innerJoin(licenses, eq(licenses.id, deliveries.licenseId))
        .where(and(inArray(deliveries.status, ['pending', 'sent']), lte(deliveries.nextAttemptAt, now), eq(licenses.status, 'active')))
        .orderBy(asc(deliveries.nextAttemptAt))
        .limit(this.opts.batchSize)
        .for('update', { of: deliveries, skipLocked: true })
      if (due.length === 0) return 0
      const full: DeliveryRow[] = []
      const published = await Promise.all(due.map(({ row }) => this.publish(js, jsm, row).then(() => row, (error: unknown) => {
        if (isSubjectFull(error)) full.push(row)
        this.warn('outbox publish failed; the row stays queued', error)
        return null
      })))
      // The license's subject is at its cap (an agent that is not draining): offer again later
      // instead of every tick; the row is not marked sent.
      for (const row of full) {
        await t.update(deliveries).set({ nextAttemptAt: new Date(now.getTime() + this.opts.resendBaseMs), updatedAt: now }).where(eq(deliveries.id, row.id))
      }
      const ok = published.filter((r): r is DeliveryRow => r !== null)
      for (const row of ok) {
        const attempts = row.attempts + 1
        await t.update(deliveries).set({
          status: 'sent',
          attempts,
          sentAt: now,
          nextAttemptAt: new Date(now.getTime() + resendDelayMs(attempts, this.opts.resendBaseMs, this.opts.maxResendMs)),
          updatedAt: now,
        }).where(and(eq(deliveries.id, row.id), inArray(deliveries.status, ['pending', 'sent'])))
      }
      return due.length
    })
  }

  private async publish(js: ReturnType<NatsConnection['jetstream']>, jsm: JetStreamManager, row: DeliveryRow): Promise<void> {
    const consumerKey = `${row.licenseId}:${row.kind}`
    if (!this.consumers.has(consumerKey)) {
      await ensureAgentConsumer(jsm, row.licenseId, row.kind)
      this.consumers.add(consumerKey)
    }
    const h = natsHeaders()
    h.set('Cairn-Kind', row.kind)
    // Nats-Msg-Id = the row id: JetStream drops a re-publish inside its duplicate window.
    await js.publish(subjectFor(row.kind, row.licenseId), new TextEncoder().encode(JSON.stringify(row.payload)), { msgID: row.id, headers: h, timeout: this.opts.publishTimeoutMs })
  }
}
