import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { deliveries, licenses } from '../../server/db/schema'
import { serverDb } from '../support/fixtures'
import { call } from '../support/http'
import { createOpenStore, type StoreFixture } from '../support/paypal'

// The agent HTTP contract across tenants: a refused agent gets nothing (its rows are not handed
// out or counted as sent), and an ack can only ever close rows of the acking agent's license.

const skip = inject('skipReason') !== ''
let mine: StoreFixture
let theirs: StoreFixture

async function openRow(licenseId: string) {
  const { db } = await serverDb()
  const id = globalThis.crypto.randomUUID()
  // Far in the future: the NATS relay (if any) leaves it alone, only the HTTP queue could hand it out.
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

async function row(id: string) {
  const { db } = await serverDb()
  const [r] = await db.select().from(deliveries).where(eq(deliveries.id, id))
  return r!
}

beforeAll(async () => {
  if (skip) return
  const { db } = await serverDb()
  mine = await createOpenStore(db, { tag: 'cai' })
  theirs = await createOpenStore(db, { tag: 'caj' })
})

describe.skipIf(skip)('agent contract isolation', () => {
  it('acks naming another license\'s delivery are "unknown" and leave that row open', async () => {
    const id = await openRow(theirs.license.id)
    const res = await call<{ acks: Array<{ id: string, result: string }> }>('/api/agent/acks', { token: mine.companionToken, body: { acks: [{ id, kind: 'delivery', status: 'done' }] } })
    expect(res.status).toBe(200)
    expect(res.body.acks).toEqual([{ id, result: 'unknown' }])
    expect(await row(id)).toMatchObject({ status: 'pending', ackedAt: null })
    // The owner's own agent still closes it, once.
    const own = await call<{ acks: Array<{ result: string }> }>('/api/agent/acks', { token: theirs.companionToken, body: { acks: [{ id, kind: 'delivery', status: 'done' }, { id, kind: 'delivery', status: 'failed' }] } })
    expect(own.body.acks.map(a => a.result)).toEqual(['applied', 'duplicate'])
    expect(await row(id)).toMatchObject({ status: 'done' })
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
      expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0, sentAt: null, ackedAt: null })
    }
  })
})
