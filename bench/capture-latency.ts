// Paid-webhook → agent-receives latency over N purchases (default 1000): for each purchase the
// order is completed at the (local fake) PayPal, then the clock starts when Cairn's webhook is
// POSTed and stops when the agent's JetStream consumer receives the delivery.
import { connect } from 'nats'
import { ensureAgentConsumer, ensureAgentStream } from '../server/integrations/nats/jetstream'
import { AGENT_STREAM, agentConsumerName } from '../server/integrations/nats/subjects'
import { logger } from '../server/platform/logger'
import { startFakePayPal } from '../tests/fakes/paypal/server'
import { completeCapture, approveOrder } from '../tests/fakes/paypal/orders'
import { signWebhook } from '../tests/fakes/paypal/webhooks'
import { natsReachable } from '../tests/support/server'
import { createBenchStore, fmt, percentile, startBenchServer } from './common'
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
    const res = await fetch(`${bench.url}/api/public-store/${store.subdomain}/purchase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${(i >> 8) & 255}.${i & 255}` },
      body: JSON.stringify({ item_id: store.itemIds[0], player_name: `Bench_${i}` }),
    })
    if (res.status !== 201) throw new Error(`purchase ${i}: ${res.status} ${await res.text()}`)
    const { transaction_id: txId, approval_url } = await res.json() as { transaction_id: string, approval_url: string }
    const order = paypal.state.orders.get(new URL(approval_url).searchParams.get('token')!)!
    approveOrder(order)
    const capture = completeCapture(order)
    const event = {
      id: `WH-${i}-${Date.now()}`, event_version: '1.0', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource_type: 'capture',
      resource: { id: capture.id, status: 'COMPLETED', amount: capture.amount, custom_id: txId, supplementary_data: { related_ids: { order_id: order.id } } },
    }
    const headers = signWebhook(paypal.state, paypal.url, app.webhookId, event)
    const received = new Promise<number>(resolve => waiting.set(txId, resolve))
    const t0 = performance.now()
    const hook = await fetch(`${bench.url}/api/public-store/${store.subdomain}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(event) })
    if (hook.status !== 200) throw new Error(`webhook ${i}: ${hook.status} ${await hook.text()}`)
    const t1 = await Promise.race([received, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`delivery ${i} not received`)), 15_000))])
    latencies.push(t1 - t0)
    waiting.delete(txId)
  }
  messages.stop()
  latencies.sort((a, b) => a - b)
  const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length
  console.log(`paid webhook → agent receives, ${purchases} purchases (webhook signature verified, order fetched back from PayPal)`)
  console.log(`  p50 ${fmt(percentile(latencies, 50))} ms  p99 ${fmt(percentile(latencies, 99))} ms  mean ${fmt(mean)} ms  max ${fmt(latencies.at(-1)!)} ms`)
  const p99 = percentile(latencies, 99)
  return { measure: `capture → NATS delivery (${purchases} purchases)`, figure: `p99 ${ms(p99)} (p50 ${ms(percentile(latencies, 50))})`, goal: 'p99 ≤ 20 ms', pass: p99 <= 20 }
}
finally {
  await nc.drain().catch(() => {})
  await bench.close()
  await paypal.close()
}
}
