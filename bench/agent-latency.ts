// Paid → command received by the game server's RCON, through the shipped agent, over NATS and
// over the HTTP long-poll (default 500 purchases each). The clock starts when PayPal's capture
// webhook is POSTed to Cairn and stops when the fake RCON server (Minecraft framing) records the
// command. Needs the built server (CAIRN_OUTPUT_DIR) and `npm run agent:build`.
//
//   CAIRN_OUTPUT_DIR=.output-x npx tsx bench/agent-latency.ts [purchases]
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { licenses } from '../server/db/schema'
import { sha256Hex } from '../server/platform/crypto'
import { startFakePayPal } from '../tests/fakes/paypal/server'
import { startFakeRcon } from '../tests/fakes/rcon/server'
import { natsReachable, ROOT } from '../tests/support/server'
import { capturedPurchase, createBenchStore, latencySummary, startBenchServer, within } from './common'
import { ms, type Row } from './report'

const AGENT = join(ROOT, 'public/downloads/cairn-agent.mjs')

export async function measureAgentLatency(purchases: number, mode: 'nats' | 'http'): Promise<Row> {
  const natsUrl = await natsReachable()
  if (mode === 'nats' && !natsUrl) throw new Error('NATS is not reachable on 127.0.0.1:4222')
  const paypal = await startFakePayPal()
  const app = { clientId: `bench-agent-${Date.now()}`, clientSecret: 'bench-secret', webhookId: 'WH-BENCH-AGENT' }
  paypal.state.registerApp(app.clientId, app.clientSecret, [app.webhookId])
  const bench = await startBenchServer(`agent_${mode}`, { NATS_URL: natsUrl, PAYPAL_API_BASE: paypal.url })
  const rcon = await startFakeRcon({ password: 'bench' })
  const store = await createBenchStore(bench.db, app, 1)
  const token = `cairn_agent_bench${Math.random().toString(36).slice(2)}`
  await bench.db.db.update(licenses).set({ companionTokenHash: sha256Hex(token) }).where(eq(licenses.id, store.license.id))
  const state = mkdtempSync(join(tmpdir(), 'cairn-bench-agent-'))
  const agent = spawn(process.execPath, [AGENT], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      CAIRN_URL: bench.url,
      CAIRN_LICENSE_ID: store.license.id,
      CAIRN_TOKEN: token,
      RCON_PORT: String(rcon.port),
      RCON_PASSWORD: 'bench',
      CAIRN_STATE_DIR: join(state, 'state'),
      CAIRN_MODULES_DIR: join(state, 'plugins'),
      CAIRN_NATS: mode === 'nats' ? natsUrl! : 'off',
    },
  })
  const waiting = new Map<string, (t: number) => void>()
  rcon.onCommand = (command, at) => {
    const player = /give (\S+) /.exec(command)?.[1]
    if (player) waiting.get(player)?.(at)
  }
  try {
    const latencies: number[] = []
    for (let i = -20; i < purchases; i++) { // 20 warm-up purchases (connections, JIT, the consumer)
      const player = `B${mode}_${i + 20}`
      const paid = await capturedPurchase(bench, paypal, app, store, { player, ip: `10.8.${((i + 20) >> 8) & 255}.${(i + 20) & 255}`, eventId: `WH-A-${i}-${Date.now()}` })
      const received = new Promise<number>(resolve => waiting.set(player, resolve))
      const t0 = performance.now()
      await paid.sendWebhook()
      const t1 = await within(received, 40_000, `command ${i}`)
      if (i >= 0) latencies.push(t1 - t0)
      waiting.delete(player)
    }
    const goal = mode === 'nats' ? 100 : 1500
    console.log(`paid webhook → RCON receives the command via the shipped agent over ${mode === 'nats' ? 'NATS' : 'HTTP long-poll'}, ${purchases} purchases`)
    const { p50, p99 } = latencySummary(latencies)
    return { measure: `paid → RCON command, agent over ${mode === 'nats' ? 'NATS' : 'HTTP long-poll'} (${purchases} purchases)`, figure: `p99 ${ms(p99)} (p50 ${ms(p50)})`, goal: `p99 ≤ ${goal} ms`, pass: p99 <= goal }
  }
  finally {
    agent.kill('SIGTERM')
    await rcon.close()
    await bench.close()
    await paypal.close()
  }
}

if (process.argv[1]?.endsWith('agent-latency.ts')) {
  const purchases = Number(process.argv[2] ?? 500)
  const rows = [await measureAgentLatency(purchases, 'nats'), await measureAgentLatency(purchases, 'http')]
  console.log(JSON.stringify(rows, null, 2))
  process.exit(0)
}
