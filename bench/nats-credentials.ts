// POST /api/agent/nats-credentials latency on the built server with operator-mode NATS (a
// nats-server of its own, configured by `nats:setup`), against GET /api/agent/queue with the same
// companion tokens in the same run (same guard, one query, no minting): the ratio is what minting
// a JWT costs on top of an authenticated agent call. Server-side figures come from the server's
// own request log (duration_ms); client figures include the loopback HTTP round trip.
//   CAIRN_OUTPUT_DIR=.output-x npx tsx bench/nats-credentials.ts [licenses=100]
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { encodeUser } from '@nats-io/jwt'
import { createAccount, createUser } from '@nats-io/nkeys'
import { createLicense } from '../server/domains/licenses/licenses'
import { createUser as createAppUser } from '../server/domains/auth/users'
import { agentPermissions } from '../server/domains/agent/credentials'
import { accountSigner, encodeUserJwt } from '../server/integrations/nats/jwt'
import { AGENT_NATS_CREDENTIALS_PER_LICENSE } from '../shared/contracts/limits'
import { startOperatorNats } from '../tests/support/operator-nats'
import { testDeps } from '../tests/support/deps'
import { fmt, percentile, startBenchServer } from './common'
import type { Row } from './report'

const GOAL_MS = 5

interface Timed { clientMs: number, requestId: string }

function call(agent: Agent, url: string, path: string, token: string, body?: string): Promise<Timed> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = request({
      host: target.hostname, port: target.port, path, agent, method: body ? 'POST' : 'GET',
      headers: { 'authorization': `Bearer ${token}`, 'x-forwarded-for': '10.9.9.9', ...(body ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200
        ? resolve({ clientMs: performance.now() - t0, requestId: String(res.headers['x-request-id']) })
        : reject(new Error(`${path}: ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** duration_ms of the logged requests with these ids. */
function serverDurations(logFile: string, ids: Set<string>): number[] {
  const out: number[] = []
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"request"')) continue
    try {
      const entry = JSON.parse(line) as { request_id?: string, duration_ms?: number }
      if (entry.request_id && ids.has(entry.request_id) && typeof entry.duration_ms === 'number') out.push(entry.duration_ms)
    }
    catch { /* not a JSON line */ }
  }
  return out.sort((a, b) => a - b)
}

const summary = (values: number[]) => `p50 ${fmt(percentile(values, 50))} ms, p99 ${fmt(percentile(values, 99))} ms, mean ${fmt(values.reduce((a, b) => a + b, 0) / values.length)} ms`

export async function measureNatsCredentials(licenseCount = 100): Promise<Row[]> {
  const nats = await startOperatorNats()
  const bench = await startBenchServer('natscreds', { ...nats.env })
  try {
    const deps = testDeps(bench.db.db)
    const tokens: string[] = []
    for (let i = 0; i < licenseCount; i++) {
      const email = `natscreds-${i}-${Math.random().toString(36).slice(2, 8)}@example.test`
      const user = await createAppUser(deps, { email, password: 'correct horse battery' })
      tokens.push((await createLicense(deps, { userId: user.id, email, hostname: `nc${i}.example.net` })).companionToken)
    }
    const keys = Array.from({ length: 20 }, () => createUser().getPublicKey())
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const first = new Set<string>()
    const renew = new Set<string>()
    const queue = new Set<string>()
    // Per license: the first request (also makes sure its two JetStream consumers exist), then
    // renewals up to the rate limit's burst, interleaved with the baseline call.
    for (const [i, token] of tokens.entries()) {
      for (let n = 0; n < AGENT_NATS_CREDENTIALS_PER_LICENSE.burst; n++) {
        const minted = await call(agent, bench.url, '/api/agent/nats-credentials', token, JSON.stringify({ public_key: keys[(i + n) % keys.length] }))
        ;(n === 0 ? first : renew).add(minted.requestId)
        queue.add((await call(agent, bench.url, '/api/agent/queue', token)).requestId)
      }
    }
    agent.destroy()
    await new Promise(resolve => setTimeout(resolve, 300)) // the last log lines
    const renewals = serverDurations(bench.server.logFile, renew)
    const firsts = serverDurations(bench.server.logFile, first)
    const baseline = serverDurations(bench.server.logFile, queue)

    // In-process: the node:crypto signer against @nats-io/jwt's encodeUser (same claims).
    const signing = createAccount()
    const account = createAccount().getPublicKey()
    const userKey = createUser()
    const userPublicKey = userKey.getPublicKey() // tweetnacl derives it: not part of what is measured
    const signer = accountSigner(new TextDecoder().decode(signing.getSeed()))
    const claims = agentPermissions('00000000-0000-4000-8000-000000000001')
    let t0 = performance.now()
    for (let i = 0; i < 2000; i++) encodeUserJwt(signer, { name: 'bench', userPublicKey, account, claims, issuedAt: 1_800_000_000, expiresAt: 1_800_003_600 })
    const oursUs = ((performance.now() - t0) / 2000) * 1000
    t0 = performance.now()
    for (let i = 0; i < 50; i++) await encodeUser('bench', userKey, account, claims as Parameters<typeof encodeUser>[3], { signer: signing, exp: 1_800_003_600 })
    const stockUs = ((performance.now() - t0) / 50) * 1000

    const p50 = percentile(renewals, 50)
    const ratio = p50 / percentile(baseline, 50)
    console.log(`credentials, renewals (${renewals.length}): server ${summary(renewals)}`)
    console.log(`credentials, first per license (${firsts.length}, ensures 2 consumers): server ${summary(firsts)}`)
    console.log(`baseline GET /api/agent/queue (${baseline.length}): server ${summary(baseline)}`)
    console.log(`ratio credentials/queue (p50): ${fmt(ratio)}`)
    console.log(`JWT minting in process: node:crypto ${fmt(oursUs)} µs vs @nats-io/jwt encodeUser ${fmt(stockUs)} µs (${fmt(stockUs / oursUs)}x)`)
    return [
      { measure: 'POST /api/agent/nats-credentials, server p50 (renewal)', figure: `${fmt(p50)} ms (p99 ${fmt(percentile(renewals, 99))} ms, ${fmt(ratio)}x GET /api/agent/queue)`, goal: `< ${GOAL_MS} ms`, pass: p50 < GOAL_MS },
      { measure: 'agent JWT minting (in process)', figure: `${fmt(oursUs)} µs (encodeUser ${fmt(stockUs)} µs)`, goal: '< 1 ms', pass: oursUs < 1000 },
    ]
  }
  finally {
    await bench.close()
    await nats.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureNatsCredentials(Number(process.argv[2] ?? 100))
  for (const r of rows) console.log(`${r.pass ? 'PASS' : 'FAIL'} ${r.measure}: ${r.figure} (goal ${r.goal})`)
  process.exit(rows.every(r => r.pass) ? 0 : 1)
}
