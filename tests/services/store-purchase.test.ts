import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeItems, storeTransactions } from '../../server/db/schema'
import { InvalidInput } from '../../server/platform/errors'
import { fixedClock } from '../../server/platform/clock'
import { logger } from '../../server/platform/logger'
import { parseInput } from '../../server/platform/validation'
import { expirePendingTransactions } from '../../server/domains/storefront/expiry'
import { createPurchase } from '../../server/domains/storefront/purchase'
import { purchaseInputSchema, type PurchaseInput } from '../../shared/contracts/storefront'
import { findOpenStore } from '../../server/domains/storefront/storefront'
import { startFakePayPal, type FakePayPal } from '../fakes/paypal/server'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { createOpenStore, createStoreItem, depsWithPayPal, fakeOrder, usePayPalUrl, type StoreFixture } from '../support/paypal'

const quiet = { ...logger, warn: () => {}, info: () => {} }
let tdb: TestDatabase
let paypal: FakePayPal
let shop: StoreFixture

beforeAll(async () => {
  tdb = await createTestDatabase('cairn_store_purchase')
  paypal = await startFakePayPal()
  usePayPalUrl(paypal.url)
  shop = await createOpenStore(tdb.handle.db, { tag: 'purchase' })
})
afterAll(async () => {
  await paypal?.close()
  await tdb?.close()
})

function purchase(input: Partial<PurchaseInput> & { item_id: string }, now = new Date()) {
  const db = tdb.handle.db
  return findOpenStore(db, shop.subdomain).then(store => createPurchase(
    depsWithPayPal(db, { log: quiet, clock: fixedClock(now) }),
    store,
    parseInput(purchaseInputSchema, { player_name: 'Steve', ...input }),
    { storefrontBase: `http://cairn.test/s/${shop.subdomain}` },
  ))
}

describe('purchase input', () => {
  it.each(['Steve; op Steve', 'a\nb', '$(x)', '{player}', 'a'.repeat(17), 'Stéve', 'ab', 'Steve ', ' Steve', 'Ste ve', 'Steve\n', '名前です'])('refuses player name %j', (name) => {
    const result = purchaseInputSchema.safeParse({ item_id: globalThis.crypto.randomUUID(), player_name: name })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['player_name'])
  })

  it('accepts names, canonical UUIDs and quantities inside the rules', () => {
    const ok = purchaseInputSchema.parse({ item_id: globalThis.crypto.randomUUID(), player_name: 'Notch_2009', player_uuid: '069A79F4-44E9-4726-A5BE-FCA90E38AAF5', quantity: 64 })
    expect(ok.player_uuid).toBe('069a79f4-44e9-4726-a5be-fca90e38aaf5')
    for (const bad of [{ quantity: 0 }, { quantity: 65 }, { quantity: 1.5 }, { quantity: '2' }, { player_uuid: '069a79f444e94726a5befca90e38aaf5' }, { player_uuid: '{069a79f4-44e9-4726-a5be-fca90e38aaf5}' }]) {
      expect(purchaseInputSchema.safeParse({ item_id: globalThis.crypto.randomUUID(), player_name: 'Steve', ...bad }).success).toBe(false)
    }
  })
})

describe('createPurchase', () => {
  it('prices from the database, reserves stock and creates the PayPal order with the transaction as custom_id', async () => {
    const item = await createStoreItem(tdb.handle.db, shop, { priceCents: 250, stock: 5 })
    const res = await purchase({ item_id: item.id, quantity: 2 })
    expect(res).toMatchObject({ status: 'pending', amount_cents: 500, currency: 'USD' })
    expect(res.approval_url).toMatch(new RegExp(`^${paypal.url}/checkoutnow\\?token=`))
    const [tx] = await tdb.handle.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
    expect(tx).toMatchObject({ status: 'pending', amountCents: 500, unitPriceCents: 250, quantity: 2, stockReserved: true })
    expect(tx!.expiresAt!.getTime() - tx!.createdAt.getTime()).toBe(30 * 60 * 1000)
    const order = await fakeOrder(tx!.paypalOrderId!)
    expect(order.purchase_units[0]).toMatchObject({ custom_id: tx!.id, amount: { currency_code: 'USD', value: '5.00' } })
    expect(order.request_id).toBe(tx!.id)
    expect(order.return_url).toBe(`http://cairn.test/s/${shop.subdomain}/return?tx=${tx!.id}`)
    expect(order.cancel_url).toBe(`http://cairn.test/s/${shop.subdomain}/cancel?tx=${tx!.id}`)
    const [after] = await tdb.handle.db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, item.id))
    expect(after!.stock).toBe(3)
  })

  it('requires player_uuid when a command uses {uuid}', async () => {
    const item = await createStoreItem(tdb.handle.db, shop, { commands: [{ command: 'lp user {uuid} parent add mvp', require_online: false }] })
    await expect(purchase({ item_id: item.id })).rejects.toBeInstanceOf(InvalidInput)
    await expect(purchase({ item_id: item.id })).rejects.toMatchObject({ data: { issues: [{ path: 'player_uuid' }] } })
    const rows = await tdb.handle.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))
    expect(rows).toHaveLength(0)
  })

  it('30 concurrent purchases of an item with stock 3 → exactly 3 pending, 27 × 409', async () => {
    const item = await createStoreItem(tdb.handle.db, shop, { stock: 3 })
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => purchase({ item_id: item.id, player_name: `Player_${i}` })))
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(3)
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(rejected).toHaveLength(27)
    for (const r of rejected) expect(r.reason).toMatchObject({ statusCode: 409, message: 'Out of stock' })
    const rows = await tdb.handle.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))
    expect(rows.filter(r => ['pending', 'paid'].includes(r.status))).toHaveLength(3)
    const [after] = await tdb.handle.db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, item.id))
    expect(after!.stock).toBe(0)
  })

  it('per-player limit 1 with 10 concurrent attempts (names differing in case) → 1', async () => {
    const item = await createStoreItem(tdb.handle.db, shop, { purchaseLimit: 1 })
    const names = ['Alex', 'alex', 'ALEX', 'aLeX', 'Alex', 'alex', 'ALEX', 'AlEx', 'alEX', 'Alex']
    const results = await Promise.allSettled(names.map(player_name => purchase({ item_id: item.id, player_name })))
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ statusCode: 409 })
    const rows = await tdb.handle.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))
    expect(rows).toHaveLength(1)
    // Another player is not affected.
    await expect(purchase({ item_id: item.id, player_name: 'Steve' })).resolves.toMatchObject({ status: 'pending' })
  })

  it('unknown, disabled or other-store items → 404 and nothing stored', async () => {
    const other = await createOpenStore(tdb.handle.db, { tag: 'other' })
    const foreign = await createStoreItem(tdb.handle.db, other)
    const disabled = await createStoreItem(tdb.handle.db, shop, { enabled: false })
    for (const id of [foreign.id, disabled.id, globalThis.crypto.randomUUID()]) {
      await expect(purchase({ item_id: id })).rejects.toMatchObject({ statusCode: 404 })
    }
    const rows = await tdb.handle.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, foreign.id))
    expect(rows).toHaveLength(0)
  })

  it('expiry after 30 minutes gives the reservation back (and only once)', async () => {
    const item = await createStoreItem(tdb.handle.db, shop, { stock: 2 })
    const t0 = new Date()
    const res = await purchase({ item_id: item.id, quantity: 2 }, t0)
    await expect(purchase({ item_id: item.id })).rejects.toMatchObject({ statusCode: 409 })
    expect(await expirePendingTransactions(tdb.handle.db, new Date(t0.getTime() + 29 * 60_000))).toBe(0)
    const later = new Date(t0.getTime() + 31 * 60_000)
    expect(await expirePendingTransactions(tdb.handle.db, later)).toBeGreaterThanOrEqual(1)
    expect(await expirePendingTransactions(tdb.handle.db, later)).toBe(0)
    const [tx] = await tdb.handle.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
    expect(tx!.status).toBe('expired')
    const [after] = await tdb.handle.db.select({ stock: storeItems.stock }).from(storeItems).where(and(eq(storeItems.id, item.id)))
    expect(after!.stock).toBe(2)
  })

  it('a store that is disabled, suspended or without an ACTIVE subscription is not found', async () => {
    const { storeConfig, webstoreSubscriptions, licenses } = await import('../../server/db/schema')
    const db = tdb.handle.db
    const a = await createOpenStore(db, { tag: 'off' })
    await db.update(storeConfig).set({ enabled: false }).where(eq(storeConfig.licenseId, a.license.id))
    const b = await createOpenStore(db, { tag: 'susp' })
    await db.update(licenses).set({ status: 'suspended' }).where(eq(licenses.id, b.license.id))
    const c = await createOpenStore(db, { tag: 'unsub' })
    await db.update(webstoreSubscriptions).set({ status: 'CANCELLED' }).where(eq(webstoreSubscriptions.licenseId, c.license.id))
    for (const s of [a, b, c]) await expect(findOpenStore(db, s.subdomain)).rejects.toMatchObject({ statusCode: 404 })
    await expect(findOpenStore(db, shop.subdomain)).resolves.toBeTruthy()
  })
})
