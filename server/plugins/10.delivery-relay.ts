import type { Subscription } from 'nats'
import { listenForAcks } from '../domains/agent/ack-listener'
import { OutboxRelay } from '../domains/agent/relay'
import { errorFields } from '../platform/logger'
import { useDeps } from '../http/deps'

/**
 * With NATS configured: the outbox relay (publishes pending deliveries to JetStream) and the ack
 * listener. Without NATS nothing runs here: deliveries wait for the HTTP agent queue.
 */
export default defineNitroPlugin((nitroApp) => {
  let relay: OutboxRelay | undefined
  let acks: Subscription | undefined
  let closed = false
  void (async () => {
    const deps = await useDeps()
    const nats = deps.nats
    if (!nats || closed) return
    relay = new OutboxRelay({ ...deps, nats })
    relay.start()
    const nc = await nats.connection()
    if (!closed) acks = listenForAcks(deps, nc)
  })().catch((error: unknown) => {
    useDeps().then(deps => deps.log.error('delivery relay failed to start', errorFields(error))).catch(() => {})
  })
  nitroApp.hooks.hook('close', async () => {
    closed = true
    acks?.unsubscribe()
    await relay?.stop()
  })
})
