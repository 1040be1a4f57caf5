import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { deliveries, licenses, storeTransactions } from '../../server/db/schema'
import { serverDb } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { approveAsBuyer, createOpenStore, createStoreItem, type StoreFixture } from '../support/paypal'
import { useOwnServer, type OwnServer } from '../support/own-server'

// The HTTP fallback: a second app server started WITHOUT NATS_URL (the machine's NATS keeps
// running for everyone else). Deliveries wait in the outbox and are served by GET /api/agent/queue.
// Across tenants: a refused agent gets nothing (its rows are not handed out or counted as sent),
// and an ack can only ever close rows of the acking agent's license.

const skip = inject('skipReason') !== ''
let own: OwnServer
let shop: StoreFixture

async function http<T = Record<string, unknown>>(path: string, init: { method?: string, token?: string, body?: unknown } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': fakeIp() }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${own.url}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  return { status: res.status, body: await res.json().catch(() => null) as T }
}

describe.skipIf(skip)('agent HTTP queue (no NATS_URL)', () => {
  own = useOwnServer('cairn_api_nonats')
  beforeAll(async () => {
    await own.start('api-no-nats', { NATS_URL: undefined, PAYPAL_API_BASE: inject('paypalUrl') })
    shop = await createOpenStore(own.db, { tag: 'httpq' })
  }, 90_000)

  it('health says nats disabled', async () => {
    expect((await http('/api/health')).body).toMatchObject({ nats: 'disabled' })
  })

  it('refuses missing, malformed, unknown, suspended and revoked tokens with 401', async () => {
    expect((await http('/api/agent/queue')).status).toBe(401)
    expect((await http('/api/agent/queue', { token: 'nope' })).status).toBe(401)
    expect((await http('/api/agent/queue', { token: `cairn_agent_${'x'.repeat(32)}` })).status).toBe(401)
    expect((await http('/api/agent/acks', { token: 'nope', body: { acks: [] } })).status).toBe(401)
    const other = await createOpenStore(own.db, { tag: 'susp' })
    expect((await http('/api/agent/queue', { token: other.companionToken })).status).toBe(200)
    await own.db.update(licenses).set({ status: 'suspended' }).where(eq(licenses.id, other.license.id))
    expect((await http('/api/agent/queue', { token: other.companionToken })).status).toBe(401)
    await own.db.update(licenses).set({ status: 'revoked' }).where(eq(licenses.id, other.license.id))
    expect((await http('/api/agent/queue', { token: other.companionToken })).status).toBe(401)
  })

  it('purchase → approve → capture → the delivery waits in the outbox → served by the HTTP queue → ack → delivered', async () => {
    const item = await createStoreItem(own.db, shop, { commands: [{ command: 'eco give {player} {quantity}00', require_online: false }] })
    const bought = await http<{ transaction_id: string, approval_url: string }>(`/api/public-store/${shop.subdomain}/purchase`, { body: { item_id: item.id, player_name: 'Herobrine', quantity: 5 } })
    expect(bought.status).toBe(201)
    const txId = bought.body.transaction_id
    const [tx] = await own.db.select().from(storeTransactions).where(eq(storeTransactions.id, txId))
    await approveAsBuyer(tx!.paypalOrderId!)
    expect((await http(`/api/public-store/${shop.subdomain}/transactions/${txId}/capture`, { method: 'POST' })).body).toEqual({ transaction_id: txId, status: 'paid' })

    await new Promise(resolve => setTimeout(resolve, 1500))
    const [row] = await own.db.select().from(deliveries).where(eq(deliveries.refId, txId))
    expect(row!.status).toBe('pending')

    const queue = await http<{ deliveries: Array<Record<string, unknown>>, module_installs: unknown[] }>('/api/agent/queue', { token: shop.companionToken })
    expect(queue.status).toBe(200)
    expect(queue.body.module_installs).toEqual([])
    expect(queue.body.deliveries).toEqual([{
      id: row!.id,
      transaction_id: txId,
      player: { name: 'Herobrine', uuid: null },
      commands: [{ command: 'eco give Herobrine 500', require_online: false }],
      created_at: expect.any(String),
    }])
    // Unacknowledged messages stay in the queue (at-least-once).
    expect((await http<{ deliveries: unknown[] }>('/api/agent/queue', { token: shop.companionToken })).body.deliveries).toHaveLength(1)

    // Another agent cannot ack it.
    const stranger = await createOpenStore(own.db, { tag: 'stranger' })
    const foreign = await http<{ acks: unknown[] }>('/api/agent/acks', { token: stranger.companionToken, body: { acks: [{ id: row!.id, kind: 'delivery', status: 'done' }] } })
    expect(foreign.body.acks).toEqual([{ id: row!.id, result: 'unknown' }])

    const ack = await http<{ acks: unknown[] }>('/api/agent/acks', { token: shop.companionToken, body: { acks: [{ id: row!.id, kind: 'delivery', status: 'done' }] } })
    expect(ack.status).toBe(200)
    expect(ack.body.acks).toEqual([{ id: row!.id, result: 'applied' }])
    expect((await http<{ deliveries: unknown[] }>('/api/agent/queue', { token: shop.companionToken })).body.deliveries).toEqual([])
    expect((await http(`/api/public-store/${shop.subdomain}/transactions/${txId}`)).body).toMatchObject({ status: 'delivered' })
    const again = await http<{ acks: unknown[] }>('/api/agent/acks', { token: shop.companionToken, body: { acks: [{ id: row!.id, kind: 'delivery', status: 'failed' }] } })
    expect(again.body.acks).toEqual([{ id: row!.id, result: 'duplicate' }])
    expect((await http(`/api/public-store/${shop.subdomain}/transactions/${txId}`)).body).toMatchObject({ status: 'delivered' })
  })

  it('validates acks: 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'acks'],
      [{ acks: [] }, 'acks'],
      [{ acks: [{ id: 'x', kind: 'delivery', status: 'done' }] }, 'acks.0.id'],
      [{ acks: [{ id: globalThis.crypto.randomUUID(), kind: 'other', status: 'done' }] }, 'acks.0.kind'],
      [{ acks: [{ id: globalThis.crypto.randomUUID(), kind: 'delivery', status: 'ok' }] }, 'acks.0.status'],
    ]
    for (const [body, path] of cases) {
      const res = await http<{ data: { issues: Array<{ path: string }> } }>('/api/agent/acks', { token: shop.companionToken, body })
      expect(res.status).toBe(400)
      expect(res.body.data.issues[0]!.path).toBe(path)
    }
  })
})

describe.skipIf(skip)('agent HTTP queue on the NATS server', () => {
  it('serves the same rows (sent or not) and refuses bad tokens', async () => {
    const { db } = await serverDb()
    const s = await createOpenStore(db, { tag: 'both' })
    const res = await fetch(`${inject('baseUrl')}/api/agent/queue`, { headers: { authorization: `Bearer ${s.companionToken}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ deliveries: [], module_installs: [] })
  })
})

/** An open delivery row of `licenseId`, due far in the future: the NATS relay (if any) leaves it alone. */
async function openRow(licenseId: string) {
  const { db } = await serverDb()
  const id = globalThis.crypto.randomUUID()
  const later = new Date(Date.now() + 24 * 3600_000)
  await db.insert(deliveries).values({
    id,
    licenseId,
    kind: 'delivery',
    refId: globalThis.crypto.randomUUID(),
    payload: { id, transaction_id: globalThis.crypto.randomUUID(), player: { name: 'Steve', uuid: null }, commands: [{ command: 'say hi', require_online: false }], created_at: new Date().toISOString() },
    nextAttemptAt: later,
  })
  return id
}

async function deliveryRow(id: string) {
  const { db } = await serverDb()
  const [r] = await db.select().from(deliveries).where(eq(deliveries.id, id))
  return r!
}

describe.skipIf(skip)('agent contract isolation', () => {
  let mine: StoreFixture
  let theirs: StoreFixture
  beforeAll(async () => {
    const { db } = await serverDb()
    mine = await createOpenStore(db, { tag: 'cai' })
    theirs = await createOpenStore(db, { tag: 'caj' })
  })

  it('acks naming another license\'s delivery are "unknown" and leave that row open', async () => {
    const id = await openRow(theirs.license.id)
    const res = await call<{ acks: Array<{ id: string, result: string }> }>('/api/agent/acks', { token: mine.companionToken, body: { acks: [{ id, kind: 'delivery', status: 'done' }] } })
    expect(res.status).toBe(200)
    expect(res.body.acks).toEqual([{ id, result: 'unknown' }])
    expect(await deliveryRow(id)).toMatchObject({ status: 'pending', ackedAt: null })
    // The owner's own agent still closes it, once.
    const own = await call<{ acks: Array<{ result: string }> }>('/api/agent/acks', { token: theirs.companionToken, body: { acks: [{ id, kind: 'delivery', status: 'done' }, { id, kind: 'delivery', status: 'failed' }] } })
    expect(own.body.acks.map(a => a.result)).toEqual(['applied', 'duplicate'])
    expect(await deliveryRow(id)).toMatchObject({ status: 'done' })
  })

  it('a suspended or revoked license\'s agent gets 401 and nothing: its rows are not handed out', async () => {
    const { db } = await serverDb()
    for (const status of ['suspended', 'revoked'] as const) {
      const shop = await createOpenStore(db, { tag: `cas${status.slice(0, 3)}` })
      const id = await openRow(shop.license.id)
      await db.update(licenses).set({ status }).where(eq(licenses.id, shop.license.id))
      const queue = await call('/api/agent/queue', { token: shop.companionToken })
      expect(queue.status).toBe(401)
      expect(queue.text).not.toContain(id)
      const ack = await call('/api/agent/acks', { token: shop.companionToken, body: { acks: [{ id, kind: 'delivery', status: 'done' }] } })
      expect(ack.status).toBe(401)
      expect(await deliveryRow(id)).toMatchObject({ status: 'pending', attempts: 0, sentAt: null, ackedAt: null })
    }
  })
})
