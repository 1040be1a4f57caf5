// Paid-webhook → agent-receives latency over N purchases (default 1000): for each purchase the
// order is completed at the (local fake) PayPal, then the clock starts when Cairn's webhook is
// POSTed and stops when the agent's JetStream consumer receives the delivery.
import { connect } from 'nats'
import { ensureAgentConsumer, ensureAgentStream } from '../server/integrations/nats/jetstream'
import { AGENT_STREAM, agentConsumerName } from '../server/integrations/nats/subjects'
import { logger } from '../server/platform/logger'
import { startFakePayPal } from '../tests/fakes/paypal/server'
import { natsReachable } from '../tests/support/server'
import { capturedPurchase, createBenchStore, latencySummary, startBenchServer, within } from './common'
import { ms, type Row } from './report'

export async function measureCaptureLatency(purchases: number): Promise<Row> {
const natsUrl = await natsReachable()
if (!natsUrl) throw new Error('NATS is not reachable on 127.0.0.1:4222')

const paypal = await startFakePayPal()
const app = { clientId: `bench-${Date.now()}`, clientSecret: 'bench-secret', webhookId: 'WH-BENCH' }
paypal.state.registerApp(app.clientId, app.clientSecret, [app.webhookId])
const bench = await startBenchServer('latency', { NATS_URL: natsUrl, PAYPAL_API_BASE: paypal.url })
const nc = await connect({ servers: natsUrl })
try {
  const store = await createBenchStore(bench.db, app, 1)
  const jsm = await ensureAgentStream(nc, { ...logger, info: () => {} })
  await ensureAgentConsumer(jsm, store.license.id)
  const consumer = await nc.jetstream().consumers.get(AGENT_STREAM, agentConsumerName(store.license.id))
  const waiting = new Map<string, (t: number) => void>()
  const messages = await consumer.consume({ max_messages: 256 })
  void (async () => {
    for await (const m of messages) {
      const t = performance.now()
      const { transaction_id } = m.json<{ transaction_id: string }>()
      m.ack()
      waiting.get(transaction_id)?.(t)
    }
  })()

  const latencies: number[] = []
  for (let i = 0; i < purchases; i++) {
    const { txId, sendWebhook } = await capturedPurchase(bench, paypal, app, store, { player: `Bench_${i}`, ip: `10.9.${(i >> 8) & 255}.${i & 255}`, eventId: `WH-${i}-${Date.now()}` })
    const received = new Promise<number>(resolve => waiting.set(txId, resolve))
    const t0 = performance.now()
    await sendWebhook()
    const t1 = await within(received, 15_000, `delivery ${i}`)
    latencies.push(t1 - t0)
    waiting.delete(txId)
  }
  messages.stop()
  console.log(`paid webhook → agent receives, ${purchases} purchases (webhook signature verified, order fetched back from PayPal)`)
  const { p50, p99 } = latencySummary(latencies)
  return { measure: `capture → NATS delivery (${purchases} purchases)`, figure: `p99 ${ms(p99)} (p50 ${ms(p50)})`, goal: 'p99 ≤ 20 ms', pass: p99 <= 20 }
}
finally {
  await nc.drain().catch(() => {})
  await bench.close()
  await paypal.close()
}
}
