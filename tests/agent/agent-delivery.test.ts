import { and, eq } from 'drizzle-orm'
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { deliveries } from '../../server/db/schema'
import { startFakeRcon, type FakeRcon } from '../fakes/rcon/server'
import { downloadAgent, newAgentDirs, startAgentProcess, type AgentProcess } from '../support/cairn-agent'
import { serverDb } from '../support/fixtures'
import { call } from '../support/http'
import { approveAsBuyer, createOpenStore, createStoreItem, type StoreFixture } from '../support/paypal'
import { pollFor } from '../support/poll'
import { purchase, transactionRow } from '../support/storefront'

// The shipped agent file, downloaded from the built server and run with node, against a game
// server's RCON (tests/fakes/rcon speaks Minecraft's framing) and the real Cairn + PostgreSQL.

const skip = inject('skipReason') !== ''
const PASSWORD = 'rcon-secret'
let agentFile: string
let shop: StoreFixture
let rcon: FakeRcon
const running: AgentProcess[] = []

function agentEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    CAIRN_URL: inject('baseUrl'),
    CAIRN_LICENSE_ID: shop.license.id,
    CAIRN_TOKEN: shop.companionToken,
    RCON_HOST: '127.0.0.1',
    RCON_PORT: String(rcon.port),
    RCON_PASSWORD: PASSWORD,
    CAIRN_NATS: 'off',
    ...extra,
  }
}

function startAgent(extra: Record<string, string> = {}, dirs = newAgentDirs()): AgentProcess {
  const agent = startAgentProcess(agentFile, agentEnv(extra), dirs)
  running.push(agent)
  return agent
}

/** Bought, approved and captured through the storefront: paid, its delivery in the outbox. */
async function paidPurchase(commands: Array<{ command: string, require_online: boolean }>, player = 'Steve'): Promise<string> {
  const { db } = await serverDb()
  const item = await createStoreItem(db, shop, { commands })
  const res = await purchase(shop.subdomain, { item_id: item.id, player_name: player })
  expect(res.status).toBe(201)
  const tx = await transactionRow(res.body.transaction_id)
  await approveAsBuyer(tx.paypalOrderId!)
  const cap = await call(`/api/public-store/${shop.subdomain}/transactions/${tx.id}/capture`, { method: 'POST' })
  expect(cap.body).toMatchObject({ status: 'paid' })
  return tx.id
}

async function deliveryOf(transactionId: string) {
  const { db } = await serverDb()
  const [row] = await db.select().from(deliveries).where(and(eq(deliveries.kind, 'delivery'), eq(deliveries.refId, transactionId)))
  return row!
}

async function settled(transactionId: string, timeoutMs = 15_000) {
  return pollFor(async () => {
    const row = await deliveryOf(transactionId)
    return row.status === 'done' || row.status === 'failed' ? row : undefined
  }, { timeoutMs, everyMs: 100, failure: () => `delivery of ${transactionId} not acked within ${timeoutMs} ms` })
}

const tag = () => Math.random().toString(36).slice(2, 8)

describe.skipIf(skip)('the shipped companion agent', () => {
  beforeAll(async () => {
    agentFile = await downloadAgent(inject('baseUrl'))
    const { db } = await serverDb()
    shop = await createOpenStore(db, { tag: 'agent' })
  }, 60_000)
  beforeEach(async () => {
    rcon = await startFakeRcon({ password: PASSWORD })
  })
  afterEach(async () => {
    await Promise.all(running.splice(0).map(a => a.stop('SIGKILL')))
    await rcon.close()
  })

  it('is served at /downloads/cairn-agent.mjs and explains every setting with --help', () => {
    const help = execFileSync(process.execPath, [agentFile, '--help'], { encoding: 'utf8' })
    for (const name of ['CAIRN_URL', 'CAIRN_LICENSE_ID', 'CAIRN_TOKEN', 'RCON_HOST', 'RCON_PORT', 'RCON_PASSWORD', 'CAIRN_EXECUTOR', 'CAIRN_STATE_DIR', 'CAIRN_MODULES_DIR', 'CAIRN_NATS', 'CAIRN_ONLINE_COMMAND']) expect(help).toContain(name)
  })

  it('runs a purchase\'s commands in order over RCON, acks done and the transaction is delivered', async () => {
    const t = tag()
    const agent = startAgent()
    await agent.waitForLog(l => l.event === 'rcon_connected')
    const txId = await paidPurchase([
      { command: `lp user Steve parent add vip-${t}`, require_online: false },
      { command: `give Steve diamond 2 ${t}`, require_online: false },
      { command: `say thanks ${t}`, require_online: false },
    ])
    const row = await settled(txId)
    expect(row.status).toBe('done')
    expect(rcon.commands.filter(c => c.includes(t))).toEqual([`lp user Steve parent add vip-${t}`, `give Steve diamond 2 ${t}`, `say thanks ${t}`])
    expect(row.detail).toContain(`give Steve diamond 2 ${t}`)
    expect((await transactionRow(txId)).status).toBe('delivered')
  })

  it('HTTP-only: a delivery written while the long-poll waits reaches the game server within 2 s', async () => {
    const t = tag()
    const agent = startAgent()
    await agent.waitForLog(l => l.event === 'rcon_connected')
    // Let the first (immediate) poll finish so the next one is held by the server.
    await new Promise(resolve => setTimeout(resolve, 1000))
    const { db } = await serverDb()
    const item = await createStoreItem(db, shop, { commands: [{ command: `say fast ${t}`, require_online: false }] })
    const res = await purchase(shop.subdomain, { item_id: item.id, player_name: 'Alex' })
    const tx = await transactionRow(res.body.transaction_id)
    await approveAsBuyer(tx.paypalOrderId!)
    const paidAt = performance.now()
    await call(`/api/public-store/${shop.subdomain}/transactions/${tx.id}/capture`, { method: 'POST' })
    await pollFor(() => rcon.commands.includes(`say fast ${t}`) || undefined, { timeoutMs: 10_000, everyMs: 20, failure: () => 'command never arrived' })
    const arrived = rcon.receivedAt[rcon.commands.indexOf(`say fast ${t}`)]!
    expect(arrived - paidAt).toBeLessThan(2000)
  })

  it('require_online waits for the player (re-checking) without holding up other deliveries', async () => {
    const t = tag()
    const agent = startAgent()
    await agent.waitForLog(l => l.event === 'rcon_connected')
    const waiting = await paidPurchase([
      { command: `before ${t}`, require_online: false },
      { command: `give Notch apple ${t}`, require_online: true },
      { command: `after ${t}`, require_online: false },
    ], 'Notch')
    await agent.waitForLog(l => l.event === 'waiting_for_player' && l.player === 'Notch')
    const other = await paidPurchase([{ command: `other ${t}`, require_online: false }], 'Jeb_')
    expect((await settled(other)).status).toBe('done')
    expect(rcon.commands.filter(c => c.includes(t))).toEqual([`before ${t}`, `other ${t}`])
    expect((await deliveryOf(waiting)).status).toBe('sent')
    const listsBefore = rcon.listCalls
    await pollFor(() => rcon.listCalls > listsBefore + 1 || undefined, { timeoutMs: 10_000, failure: () => 'no re-check of online players' })
    rcon.online.add('Notch')
    expect((await settled(waiting)).status).toBe('done')
    expect(rcon.commands.filter(c => c.includes(t))).toEqual([`before ${t}`, `other ${t}`, `give Notch apple ${t}`, `after ${t}`])
  })

  it('kill -9 while a reply is withheld: after restart nothing is sent twice, the rest runs, the ack is failed naming the command', async () => {
    const t = tag()
    const dirs = newAgentDirs()
    rcon.withhold = c => c === `hang ${t}`
    const first = startAgent({}, dirs)
    await first.waitForLog(l => l.event === 'rcon_connected')
    const txId = await paidPurchase([
      { command: `one ${t}`, require_online: false },
      { command: `hang ${t}`, require_online: false },
      { command: `three ${t}`, require_online: false },
    ])
    await pollFor(() => rcon.commands.includes(`hang ${t}`) || undefined, { timeoutMs: 10_000, failure: () => 'the withheld command never arrived' })
    first.child.kill('SIGKILL')
    await first.exited
    rcon.withhold = () => false

    const second = startAgent({}, dirs)
    const row = await settled(txId).catch((e: Error) => {
      throw new Error(`${e.message}\n${second.logs.map(l => JSON.stringify(l)).join('\n')}`)
    })
    expect(row.status).toBe('failed')
    expect(row.detail).toContain(`hang ${t}`)
    expect(rcon.commands.filter(c => c.includes(t))).toEqual([`one ${t}`, `hang ${t}`, `three ${t}`])
    expect((await transactionRow(txId)).status).toBe('failed')
    await second.waitForLog(l => l.event === 'ack_accepted' && l.id === row.id)
  })

  it('a wrong RCON password: one clear log line, nothing sent, nothing acked', async () => {
    const t = tag()
    const agent = startAgent({ RCON_PASSWORD: 'not-the-password' })
    const line = await agent.waitForLog(l => l.event === 'rcon_auth_failed')
    expect(line.level).toBe('error')
    expect(String(line.hint)).toContain('RCON_PASSWORD')
    expect(JSON.stringify(agent.logs)).not.toContain('not-the-password')
    const txId = await paidPurchase([{ command: `never ${t}`, require_online: false }])
    await agent.waitForLog(l => l.event === 'message_received')
    await new Promise(resolve => setTimeout(resolve, 2000))
    expect(rcon.commands.filter(c => c.includes(t))).toEqual([])
    expect((await deliveryOf(txId)).status).not.toMatch(/done|failed/)
    expect((await transactionRow(txId)).status).toBe('paid')
  })

  it('SIGTERM exits 0', async () => {
    const agent = startAgent()
    await agent.waitForLog(l => l.event === 'rcon_connected')
    expect(await agent.stop('SIGTERM')).toBe(0)
    expect(agent.logs.some(l => l.event === 'agent_stopped')).toBe(true)
  })

  it.skipIf(!inject('natsUrl'))('over NATS (an explicit nats:// URL): a purchase reaches the game server and is acked', async () => {
    const t = tag()
    const agent = startAgent({ CAIRN_NATS: inject('natsUrl') })
    await agent.waitForLog(l => l.event === 'nats_connected')
    const txId = await paidPurchase([{ command: `nats ${t}`, require_online: false }])
    expect((await settled(txId)).status).toBe('done')
    expect(rcon.commands.filter(c => c.includes(t))).toEqual([`nats ${t}`])
    expect(agent.logs.some(l => l.event === 'message_received' && l.transport === 'nats')).toBe(true)
  })
})
