// A host at scale on the built server: `licenses` licenses provisioned through the real
// POST /api/host/provision in bulks of 100 (10 servers per customer, half of them IP-only so
// the subdomain comes from the email), then the billing report of the open month and of a
// closed (frozen) month as JSON and CSV, with the server's RSS growth while it answers.
import { sql } from 'drizzle-orm'
import { createHost } from '../server/domains/hosts/hosts'
import { testDeps } from '../tests/support/deps'
import { startBenchServer } from './common'
import { median, ms, withRssPeak, type Row } from './report'

const BULK = 100
const SERVERS_PER_CUSTOMER = 10

function bulkOf(call: number) {
  return Array.from({ length: BULK }, (_, i) => {
    const n = call * BULK + i
    const customer = Math.floor(n / SERVERS_PER_CUSTOMER)
    const hostname = n % 2 === 0 ? `s${n}.eu1.example-host.net` : `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
    return { server_id: `srv-${n}`, hostname, customer_email: `Customer${customer}@example.com` }
  })
}

class HttpError extends Error {
  constructor(path: string, readonly status: number, readonly body: string) {
    super(`${path}: ${status} ${body.slice(0, 200)}`)
  }
}

const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`

export async function measureHosts(licenses: number): Promise<Row[]> {
  const bench = await startBenchServer('hosts', { NATS_URL: undefined })
  try {
    const deps = testDeps(bench.db.db)
    const call = async (key: string, path: string, init: RequestInit = {}) => {
      const res = await fetch(`${bench.url}${path}`, { ...init, headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } })
      const body = await res.text()
      if (res.status >= 300) throw new HttpError(path, res.status, body)
      return body
    }
    // The host API allows 20 calls a second per host (burst 100): on an idle machine the bulk calls
    // are faster than that, so a 429 waits its retry_after and the call is timed again from scratch.
    const provision = async (key: string, n: number): Promise<number> => {
      for (;;) {
        const t0 = performance.now()
        try {
          await call(key, '/api/host/provision', { method: 'POST', body: JSON.stringify({ servers: bulkOf(n) }) })
          return performance.now() - t0
        }
        catch (error) {
          if (!(error instanceof HttpError) || error.status !== 429) throw error
          const retryAfter = (JSON.parse(error.body) as { data?: { retry_after?: number } }).data?.retry_after ?? 1
          await new Promise(resolve => setTimeout(resolve, retryAfter * 1000))
        }
      }
    }

    // Warm-up on another host (JIT, pools), then the measured host from empty to `licenses`.
    const warm = await createHost(deps, { name: 'Bench warm-up' })
    for (let n = 0; n < 5; n++) await provision(warm.apiKey, 100_000 + n)
    const big = await createHost(deps, { name: 'Bench big' })
    const calls = licenses / BULK
    const samples: number[] = []
    const started = performance.now()
    for (let n = 0; n < calls; n++) samples.push(await provision(big.apiKey, n))
    const window = Math.max(5, Math.round(calls / 20))
    const first = median(samples.slice(0, window))
    const last = median(samples.slice(-window))
    const p50 = median(samples)
    console.log(`  provisioned ${licenses} licenses in ${calls} bulk calls, ${((performance.now() - started) / 1000).toFixed(0)} s; p50 ${ms(p50)}, first ${window} ${ms(first)}, last ${window} ${ms(last)}`)

    // The same licenses a month earlier as well, so a closed month has as many lines as the open one.
    await bench.db.db.execute(sql`
      update host_licenses set provisioned_at = provisioned_at - interval '1 month', created_at = created_at - interval '1 month'
       where host_id = ${big.host.id}::uuid`)
    const previous = monthOf(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)))
    const current = monthOf(new Date())
    const pid = bench.server.process.pid!
    const report = async (label: string, path: string) => {
      const t0 = performance.now()
      const { result: body, growthMb } = await withRssPeak(pid, () => call(big.apiKey, path))
      const took = performance.now() - t0
      console.log(`  ${label}: ${ms(took)}, ${(body.length / 1e6).toFixed(1)} MB, RSS +${growthMb.toFixed(0)} MB`)
      return { took, growthMb, body }
    }
    const freeze = await report(`billing ${previous} JSON, first request (freezes)`, `/api/host/billing/${previous}`)
    const lines = (JSON.parse(freeze.body) as { billable_licenses: number }).billable_licenses
    if (lines !== licenses) throw new Error(`the closed month lists ${lines} licenses, expected ${licenses}`)
    // Each repeatable report three times, round-robin: one sample on a shared 2-core machine is
    // mostly the neighbours' noise. The figure is the median; the RSS growth the largest seen.
    const reports = [
      [`open month JSON`, `/api/host/billing/${current}`],
      [`open month CSV`, `/api/host/billing/${current}?format=csv`],
      [`closed month JSON`, `/api/host/billing/${previous}`],
      [`closed month CSV`, `/api/host/billing/${previous}?format=csv`],
    ] as const
    const samplesOf = new Map<string, Array<{ took: number, growthMb: number }>>(reports.map(([label]) => [label, []]))
    for (let round = 0; round < 3; round++) {
      for (const [label, path] of reports) samplesOf.get(label)!.push(await report(label, path))
    }
    const results = reports.map(([label]) => {
      const runs = samplesOf.get(label)!
      return { label, took: median(runs.map(r => r.took)), growthMb: Math.max(...runs.map(r => r.growthMb)) }
    })
    const slowest = Math.max(freeze.took, ...results.map(r => r.took))
    const growth = Math.max(freeze.growthMb, ...results.map(r => r.growthMb))
    const ratio = last / first
    return [
      {
        measure: `billing JSON and CSV, one host, ${licenses} licenses`,
        figure: `${results.map(r => `${r.label} ${ms(r.took)}`).join(', ')} (medians of 3); freeze ${ms(freeze.took)}; RSS +${growth.toFixed(0)} MB`,
        goal: '≤ 1 s each, RSS growth ≤ 50 MB',
        pass: slowest <= 1000 && growth <= 50,
      },
      {
        measure: `bulk provision of 100: p50; last vs first calls (0 → ${licenses})`,
        figure: `p50 ${ms(p50)}; ${ratio.toFixed(2)}× (${ms(last)} vs ${ms(first)})`,
        goal: '≤ 200 ms; ≤ 1.5×',
        pass: p50 <= 200 && ratio <= 1.5,
      },
    ]
  }
  finally {
    await bench.close()
  }
}
