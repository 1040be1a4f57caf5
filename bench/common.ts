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
