import type { Subscription } from 'nats'
import { listenForAcks } from '../domains/agent/ack-listener'
import { OutboxRelay } from '../domains/agent/relay'
import { readEnv } from '../platform/env'
import { errorFields } from '../platform/logger'
import { useAppContext } from '../http/app-context'

/**
 * With NATS configured: the outbox relay (publishes pending deliveries to JetStream) and the ack
 * listener. Without NATS nothing runs here: deliveries wait for the HTTP agent queue.
 */
export default defineNitroPlugin((nitroApp) => {
  let relay: OutboxRelay | undefined
  let acks: Subscription | undefined
  let closed = false
  void (async () => {
    const ctx = await useAppContext()
    if (!ctx.nats || closed) return
    const resendBaseMs = Number(readEnv('CAIRN_DELIVERY_RESEND_MS')) || undefined
    relay = new OutboxRelay({ db: ctx.db, link: ctx.nats, clock: ctx.clock, log: ctx.log }, { resendBaseMs })
    relay.start()
    const nc = await ctx.nats.connection()
    if (!closed) acks = listenForAcks(nc, { db: ctx.db, clock: ctx.clock, log: ctx.log })
  })().catch((error: unknown) => {
    useAppContext().then(ctx => ctx.log.error('delivery relay failed to start', errorFields(error))).catch(() => {})
  })
  nitroApp.hooks.hook('close', async () => {
    closed = true
    acks?.unsubscribe()
    await relay?.stop()
  })
})
