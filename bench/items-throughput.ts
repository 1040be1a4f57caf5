// Public items API throughput: Cairn (built Nitro server) vs a bare node:http + postgres.js
// server running the same queries on the same database, in the same run. Prints req/s, p50/p99
// and the ratio. Usage: CAIRN_OUTPUT_DIR=.output-<x> npx tsx bench/items-throughput.ts [seconds] [connections]
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createBenchStore, fmt, startBenchServer } from './common'
import { load } from './load'

const seconds = Number(process.argv[2] ?? 10)
const connections = Number(process.argv[3] ?? 32)

const bench = await startBenchServer('items', { NATS_URL: undefined })
try {
  const store = await createBenchStore(bench.db, { clientId: 'bench', clientSecret: 'bench', webhookId: null })
  const bare = spawn(process.execPath, [join(import.meta.dirname, 'bare-items-server.mjs')], { env: { ...process.env, DATABASE_URL: bench.databaseUrl, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
  const barePort = await new Promise<number>((resolve) => {
    bare.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port))
  })
  try {
    const path = `/api/public-store/${store.subdomain}/items`
    const cairnUrl = `${bench.url}${path}`
    const bareUrl = `http://127.0.0.1:${barePort}${path}`
    const [a, b] = await Promise.all([fetch(cairnUrl).then(r => r.json()), fetch(bareUrl).then(r => r.json())])
    const canon = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x))
    if (canon(a) !== canon(b)) throw new Error('the two servers answer differently; the comparison would be unfair')
    // Warm up both (JIT, connection pools), then measure one after the other.
    await load(cairnUrl, connections, 2)
    await load(bareUrl, connections, 2)
    const cairn = await load(cairnUrl, connections, seconds)
    const baseline = await load(bareUrl, connections, seconds)
    console.log(`items API, ${connections} connections, ${seconds} s each, ${store.itemIds.length} items`)
    console.log(`  cairn   ${fmt(cairn.rps)} req/s  p50 ${fmt(cairn.p50)} ms  p99 ${fmt(cairn.p99)} ms  errors ${cairn.errors}`)
    console.log(`  bare    ${fmt(baseline.rps)} req/s  p50 ${fmt(baseline.p50)} ms  p99 ${fmt(baseline.p99)} ms  errors ${baseline.errors}`)
    console.log(`  ratio   cairn/bare = ${(cairn.rps / baseline.rps).toFixed(2)}`)
  }
  finally {
    bare.kill('SIGTERM')
  }
}
finally {
  await bench.close()
}
