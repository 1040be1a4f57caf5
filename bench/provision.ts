// Benchmark (not a test): a 100-server bulk provisioning call and billing reports over 100 000
// licenses, against the built server on a fresh local PostgreSQL database.
//
//   CAIRN_OUTPUT_DIR=.output npx nuxt build   # once
//   npx tsx bench/provision.ts [--licenses 100000] [--rounds 5]
//
// Prints one line per measurement (median and max of the rounds, in milliseconds), then ratios
// against baselines measured in the same run (bulk on an empty database, live month report).
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { openDb } from '../server/db'
import { runMigrations } from '../server/db/migrate'
import { createHost } from '../server/domains/hosts/hosts'
import { MIGRATIONS } from '../tests/support/db'
import { createEmptyDatabase, postgresReachable } from '../tests/support/postgres'
import { startBuiltServer } from '../tests/support/server'
import { testDeps } from '../tests/support/deps'

const { values } = parseArgs({ options: { licenses: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } } })
const LICENSES = Number(values.licenses)
const ROUNDS = Number(values.rounds)

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 }
}

async function time(label: string, rounds: number, fn: (round: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = []
  let note: string | undefined
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    const result = await fn(i)
    note = typeof result === 'string' ? result : undefined
    samples.push(performance.now() - started)
  }
  const { median, max } = stats(samples)
  console.log(`${label.padEnd(52)} median ${median.toFixed(0).padStart(6)} ms   max ${max.toFixed(0).padStart(6)} ms   (${rounds} rounds)${note ? `  ${note}` : ''}`)
  return median
}

function ratio(label: string, value: number, baseline: number) {
  console.log(`ratio ${label.padEnd(60)} ${(value / baseline).toFixed(2)}`)
}

function monthOf(d: Date) {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

async function main() {
  if (!(await postgresReachable())) throw new Error('needs the local PostgreSQL on 127.0.0.1:5432')
  const database = await createEmptyDatabase('cairn_bench')
  const handle = await openDb({ databaseUrl: database.url, maxConnections: 4 })
  await runMigrations(handle, MIGRATIONS)
  const server = await startBuiltServer('bench-provision', { DATABASE_URL: database.url })
  try {
    const { db } = handle
    const bulkHost = await createHost(testDeps(db), { name: 'Bench bulk' })
    const call = async (key: string, path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.url}${path}`, { ...init, headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } })
      const body = await res.text()
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`)
      return body
    }

    const bulkEmpty = await time('POST /api/host/provision (bulk of 100, new)', ROUNDS, async (round) => {
      const servers = Array.from({ length: 100 }, (_, i) => ({ server_id: `b${round}-${i}`, hostname: `mc${i}.bench${round}.example.net`, customer_email: `c${round}-${i}@example.com` }))
      await call(bulkHost.apiKey, '/api/host/provision', { method: 'POST', body: JSON.stringify({ servers }) })
    })
    const bulkReplay = await time('POST /api/host/provision (same bulk again, idempotent)', ROUNDS, async () => {
      const servers = Array.from({ length: 100 }, (_, i) => ({ server_id: `b0-${i}`, hostname: `mc${i}.bench0.example.net`, customer_email: `c0-${i}@example.com` }))
      await call(bulkHost.apiKey, '/api/host/provision', { method: 'POST', body: JSON.stringify({ servers }) })
    })

    // 100 000 licenses for one host, seeded in SQL, spread over the previous and current month.
    const bigHost = await createHost(testDeps(db), { name: 'Bench big' })
    const now = new Date()
    const previousStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
    const seeded = performance.now()
    await db.execute(sql`
      with u as (insert into users (email) values ('bench-big@example.com') returning id),
      l as (
        insert into licenses (user_id, license_key, companion_token_hash, companion_token_sealed, subdomain, hostname, created_at)
        select u.id, 'BENCH-' || g, 'bench-hash-' || g, 'v1.x.x.x', 'bench-' || g, 'mc' || g || '.bench.example.net',
               ${previousStart.toISOString()}::timestamptz + (g * interval '20 seconds')
        from u, generate_series(1, ${LICENSES}::int) g
        returning id, subdomain, created_at
      )
      insert into host_licenses (host_id, license_id, server_id, customer_email, provisioned_at)
      select ${bigHost.host.id}::uuid, l.id, 'srv-' || l.subdomain, 'bench-big@example.com', least(l.created_at, now()) from l`)
    await db.execute(sql`analyze`)
    console.log(`seeded ${LICENSES} licenses in ${((performance.now() - seeded) / 1000).toFixed(1)} s`)

    const current = monthOf(now)
    const previous = monthOf(previousStart)
    const liveJson = await time(`GET billing/${current} JSON (open, live)`, ROUNDS, async () => {
      const body = await call(bigHost.apiKey, `/api/host/billing/${current}`)
      return `${(body.length / 1e6).toFixed(1)} MB, ${(JSON.parse(body) as { billable_licenses: number }).billable_licenses} lines`
    })
    await time(`GET billing/${current} CSV (open, streamed)`, ROUNDS, async () => {
      const body = await call(bigHost.apiKey, `/api/host/billing/${current}?format=csv`)
      return `${(body.length / 1e6).toFixed(1)} MB`
    })
    await time(`GET billing/${previous} JSON (first request: freeze)`, 1, async () => {
      const body = await call(bigHost.apiKey, `/api/host/billing/${previous}`)
      return `${(JSON.parse(body) as { billable_licenses: number }).billable_licenses} lines frozen`
    })
    const frozenJson = await time(`GET billing/${previous} JSON (closed, frozen)`, ROUNDS, async () => {
      await call(bigHost.apiKey, `/api/host/billing/${previous}`)
    })
    await time(`GET billing/${previous} CSV (closed, frozen, streamed)`, ROUNDS, async () => {
      const body = await call(bigHost.apiKey, `/api/host/billing/${previous}?format=csv`)
      return `${(body.length / 1e6).toFixed(1)} MB`
    })
    const bulkFull = await time(`POST /api/host/provision (bulk of 100, ${LICENSES} licenses in db)`, ROUNDS, async (round) => {
      const servers = Array.from({ length: 100 }, (_, i) => ({ server_id: `late${round}-${i}`, hostname: `mc${i}.late${round}.example.net`, customer_email: `late${round}-${i}@example.com` }))
      await call(bigHost.apiKey, '/api/host/provision', { method: 'POST', body: JSON.stringify({ servers }) })
    })
    ratio('idempotent replay / new bulk (baseline: new bulk, empty db)', bulkReplay, bulkEmpty)
    ratio(`new bulk with ${LICENSES} licenses / new bulk on an empty db`, bulkFull, bulkEmpty)
    ratio('closed (frozen) month JSON / open (live) month JSON', frozenJson, liveJson)
  }
  finally {
    await server.stop()
    await handle.close()
    await database.drop()
  }
}

await main()
