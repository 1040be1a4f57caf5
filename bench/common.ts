// Shared set-up for the benchmarks: a fresh PostgreSQL database, the built Cairn server, an open
// store with items. Uses the app's own services to arrange data (no test framework involved).
import { openDb, type DbHandle } from '../server/db'
import { runMigrations } from '../server/db/migrate'
import { storeCategories, storeConfig, storeItems, webstoreSubscriptions, type License } from '../server/db/schema'
import { createLicense } from '../server/domains/licenses/licenses'
import { createUser } from '../server/domains/auth/users'
import { sealPaypalSecret } from '../server/domains/webstore/config'
import { createEmptyDatabase } from '../tests/support/postgres'
import { MIGRATIONS } from '../tests/support/db'
import { startBuiltServer, type RunningServer } from '../tests/support/server'
import { testDeps } from '../tests/support/deps'
import { approveOrder, completeCapture } from '../tests/fakes/paypal/orders'
import type { FakePayPal } from '../tests/fakes/paypal/server'
import { signWebhook } from '../tests/fakes/paypal/webhooks'

export interface BenchEnv {
  url: string
  db: DbHandle
  databaseUrl: string
  server: RunningServer
  close(): Promise<void>
}

export async function startBenchServer(name: string, env: Record<string, string | undefined>): Promise<BenchEnv> {
  const database = await createEmptyDatabase(`cairn_bench_${name}`)
  const db = await openDb({ databaseUrl: database.url, maxConnections: 4 })
  await runMigrations(db, MIGRATIONS)
  const server = await startBuiltServer(`bench-${name}`, { DATABASE_URL: database.url, ...env })
  return {
    url: server.url,
    db,
    databaseUrl: database.url,
    server,
    async close() {
      await server.stop()
      await db.close()
      await database.drop()
    },
  }
}

export interface BenchStore {
  license: License
  subdomain: string
  itemIds: string[]
}

export async function createBenchStore(db: DbHandle, app: { clientId: string, clientSecret: string, webhookId: string | null }, itemCount = 12): Promise<BenchStore> {
  const suffix = Math.random().toString(36).slice(2, 8)
  const email = `bench-${suffix}@example.test`
  const deps = testDeps(db.db)
  const user = await createUser(deps, { email, password: 'correct horse battery' })
  const { license } = await createLicense(deps, { userId: user.id, email, hostname: `bench-${suffix}.example.net` })
  await db.db.insert(storeConfig).values({
    licenseId: license.id, name: 'Bench store', description: 'Benchmark', currency: 'USD',
    paypalClientId: app.clientId, paypalClientSecretSealed: sealPaypalSecret(deps, license.id, app.clientSecret),
    paypalMode: 'sandbox', paypalWebhookId: app.webhookId, enabled: true,
  })
  await db.db.insert(webstoreSubscriptions).values({ licenseId: license.id, status: 'ACTIVE' })
  const [category] = await db.db.insert(storeCategories).values({ licenseId: license.id, name: 'Ranks' }).returning()
  const items = await db.db.insert(storeItems).values(Array.from({ length: itemCount }, (_, i) => ({
    licenseId: license.id, categoryId: category!.id, name: `Item ${i}`, description: 'A benchmark item with a modest description.',
    priceCents: 100 + i, sortOrder: i, commands: [{ command: 'give {player} diamond {quantity}', require_online: false }],
  }))).returning()
  return { license, subdomain: license.subdomain, itemIds: items.map(i => i.id) }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export const fmt = (n: number) => (Math.round(n * 10) / 10).toFixed(1)

/**
 * One purchase carried to the moment PayPal would call back: bought at Cairn from client address
 * `ip`, approved and captured at the fake PayPal. `sendWebhook` POSTs the signed
 * PAYMENT.CAPTURE.COMPLETED event (id `eventId`) to Cairn: the latency benches time from there.
 */
export async function capturedPurchase(
  bench: BenchEnv,
  paypal: FakePayPal,
  app: { webhookId: string },
  store: BenchStore,
  purchase: { player: string, ip: string, eventId: string },
): Promise<{ txId: string, sendWebhook: () => Promise<void> }> {
  const res = await fetch(`${bench.url}/api/public-store/${store.subdomain}/purchase`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': purchase.ip },
    body: JSON.stringify({ item_id: store.itemIds[0], player_name: purchase.player }),
  })
  if (res.status !== 201) throw new Error(`purchase ${purchase.player}: ${res.status} ${await res.text()}`)
  const { transaction_id: txId, approval_url } = await res.json() as { transaction_id: string, approval_url: string }
  const order = paypal.state.orders.get(new URL(approval_url).searchParams.get('token')!)!
  approveOrder(order)
  const capture = completeCapture(order)
  const event = {
    id: purchase.eventId, event_version: '1.0', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource_type: 'capture',
    resource: { id: capture.id, status: 'COMPLETED', amount: capture.amount, custom_id: txId, supplementary_data: { related_ids: { order_id: order.id } } },
  }
  const headers = signWebhook(paypal.state, paypal.url, app.webhookId, event)
  return {
    txId,
    async sendWebhook() {
      const hook = await fetch(`${bench.url}/api/public-store/${store.subdomain}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(event) })
      if (hook.status !== 200) throw new Error(`webhook ${purchase.eventId}: ${hook.status} ${await hook.text()}`)
    },
  }
}

/** `arrival`'s value, or a failure naming `what` when it has not come within `ms`. */
export function within<T>(arrival: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([arrival, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} not received`)), ms))])
}

/** Sorts `latencies` (ms), prints the p50 / p99 / mean / max line and returns p50 and p99. */
export function latencySummary(latencies: number[]): { p50: number, p99: number } {
  latencies.sort((a, b) => a - b)
  const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length
  const p50 = percentile(latencies, 50)
  const p99 = percentile(latencies, 99)
  console.log(`  p50 ${fmt(p50)} ms  p99 ${fmt(p99)} ms  mean ${fmt(mean)} ms  max ${fmt(latencies.at(-1)!)} ms`)
  return { p50, p99 }
}
