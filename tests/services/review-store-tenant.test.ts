import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliveries, storeItems, storeTransactions } from '../../server/db/schema'
import { findStoreTransaction } from '../../server/domains/storefront/capture'
import { markFailed, markPaid, markReturned } from '../../server/domains/storefront/transitions'
import { startFakePayPal, type FakePayPal } from '../fakes/paypal/server'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { createOpenStore, createStoreItem, usePayPalUrl, type StoreFixture } from '../support/paypal'

// The payment transitions touch the item only within the transaction's own license: a
// transaction row naming another store's item never moves that store's stock nor carries its
// commands to this store's agent.

let tdb: TestDatabase
let paypal: FakePayPal
let mine: StoreFixture
let theirs: StoreFixture

beforeAll(async () => {
  tdb = await createTestDatabase('cairn_review_store_tenant')
  paypal = await startFakePayPal()
  usePayPalUrl(paypal.url)
  mine = await createOpenStore(tdb.handle.db, { tag: 'rvm' })
  theirs = await createOpenStore(tdb.handle.db, { tag: 'rvt' })
})
afterAll(async () => {
  await paypal?.close()
  await tdb?.close()
})

async function crossTenantTx(status: 'pending' | 'expired', stockReserved: boolean) {
  const db = tdb.handle.db
  const foreign = await createStoreItem(db, theirs, { stock: 10, commands: [{ command: 'op {player}', require_online: false }] })
  const [tx] = await db.insert(storeTransactions).values({
    licenseId: mine.license.id, itemId: foreign.id, itemName: 'x', playerName: 'Steve', quantity: 2,
    unitPriceCents: 100, amountCents: 200, currency: 'USD', status, stockReserved, expiresAt: new Date(),
  }).returning()
  return { tx: tx!, foreign }
}

const stockOf = async (id: string) => (await tdb.handle.db.select({ s: storeItems.stock }).from(storeItems).where(eq(storeItems.id, id)))[0]?.s

describe('transitions stay inside the transaction\'s license', () => {
  it('markPaid of an expired transaction neither takes another store\'s stock nor sends its commands', async () => {
    const { tx, foreign } = await crossTenantTx('expired', false)
    expect((await markPaid(tdb.handle.db, mine.license.id, tx.id, 'CAP-X', new Date())).changed).toBe(true)
    expect(await stockOf(foreign.id)).toBe(10)
    const [row] = await tdb.handle.db.select().from(deliveries).where(eq(deliveries.refId, tx.id))
    expect(JSON.stringify(row!.payload)).not.toContain('op Steve')
  })

  it('markFailed and markReturned give no stock to another store\'s item', async () => {
    const a = await crossTenantTx('pending', true)
    expect(await markFailed(tdb.handle.db, mine.license.id, a.tx.id, 'declined', new Date())).toBe(true)
    expect(await stockOf(a.foreign.id)).toBe(10)
    const b = await crossTenantTx('pending', true)
    expect(await markReturned(tdb.handle.db, mine.license.id, b.tx.id, 'refunded', new Date())).toBe(true)
    expect(await stockOf(b.foreign.id)).toBe(10)
  })
})

describe('findStoreTransaction', () => {
  it('finds by id in any case within the license; a non-UUID or another license\'s id is a 404', async () => {
    const { tx } = await crossTenantTx('pending', false)
    await expect(findStoreTransaction(tdb.handle.db, mine.license.id, tx.id.toUpperCase())).resolves.toMatchObject({ id: tx.id })
    for (const [license, id] of [[mine.license.id, 'x'.repeat(65)], [mine.license.id, `${tx.id}0`], [theirs.license.id, tx.id]] as const) {
      await expect(findStoreTransaction(tdb.handle.db, license, id)).rejects.toMatchObject({ statusCode: 404, message: 'Transaction not found' })
    }
  })
})
