import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { deliveries, storeItems, storeTransactions } from '../../server/db/schema'
import { InvalidInput } from '../../server/platform/errors'
import { parseInput } from '../../server/platform/validation'
import { findStoreTransaction } from '../../server/domains/storefront/capture'
import { expirePendingTransactions } from '../../server/domains/storefront/expiry'
import { createPurchase } from '../../server/domains/storefront/purchase'
import { markFailed, markPaid, markReturned } from '../../server/domains/storefront/transitions'
import { purchaseInputSchema, type PurchaseInput } from '../../shared/contracts/storefront'
import { findOpenStore } from '../../server/domains/storefront/storefront'
import { useFakePayPal } from '../support/fake-paypal'
import { createOpenStore, createStoreItem, fakeOrder, withPayPal, type StoreFixture } from '../support/paypal'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_store_purchase')
const paypal = useFakePayPal()
let shop: StoreFixture

beforeAll(async () => {
  shop = await createOpenStore(t.db, { tag: 'purchase' })
})

function purchase(input: Partial<PurchaseInput> & { item_id: string }, now = new Date()) {
  return findOpenStore(t.deps, shop.subdomain).then(store => createPurchase(
    withPayPal(t.at(now)),
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
    const item = await createStoreItem(t.db, shop, { priceCents: 250, stock: 5 })
    const res = await purchase({ item_id: item.id, quantity: 2 })
    expect(res).toMatchObject({ status: 'pending', amount_cents: 500, currency: 'USD' })
    expect(res.approval_url).toMatch(new RegExp(`^${paypal.fake.url}/checkoutnow\\?token=`))
    const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
    expect(tx).toMatchObject({ status: 'pending', amountCents: 500, unitPriceCents: 250, quantity: 2, stockReserved: true })
    expect(tx!.expiresAt!.getTime() - tx!.createdAt.getTime()).toBe(30 * 60 * 1000)
    const order = await fakeOrder(tx!.paypalOrderId!)
    expect(order.purchase_units[0]).toMatchObject({ custom_id: tx!.id, amount: { currency_code: 'USD', value: '5.00' } })
    expect(order.request_id).toBe(tx!.id)
    expect(order.return_url).toBe(`http://cairn.test/s/${shop.subdomain}/return?tx=${tx!.id}`)
    expect(order.cancel_url).toBe(`http://cairn.test/s/${shop.subdomain}/cancel?tx=${tx!.id}`)
    const [after] = await t.db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, item.id))
    expect(after!.stock).toBe(3)
  })

  it('requires player_uuid when a command uses {uuid}', async () => {
    const item = await createStoreItem(t.db, shop, { commands: [{ command: 'lp user {uuid} parent add mvp', require_online: false }] })
    await expect(purchase({ item_id: item.id })).rejects.toBeInstanceOf(InvalidInput)
    await expect(purchase({ item_id: item.id })).rejects.toMatchObject({ data: { issues: [{ path: 'player_uuid' }] } })
    const rows = await t.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))
    expect(rows).toHaveLength(0)
  })

  it('30 concurrent purchases of an item with stock 3 → exactly 3 pending, 27 × 409', async () => {
    const item = await createStoreItem(t.db, shop, { stock: 3 })
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => purchase({ item_id: item.id, player_name: `Player_${i}` })))
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(3)
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(rejected).toHaveLength(27)
    for (const r of rejected) expect(r.reason).toMatchObject({ statusCode: 409, message: 'Out of stock' })
    const rows = await t.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))
    expect(rows.filter(r => ['pending', 'paid'].includes(r.status))).toHaveLength(3)
    const [after] = await t.db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, item.id))
    expect(after!.stock).toBe(0)
  })

  it('per-player limit 1 with 10 concurrent attempts (names differing in case) → 1', async () => {
    const item = await createStoreItem(t.db, shop, { purchaseLimit: 1 })
    const names = ['Alex', 'alex', 'ALEX', 'aLeX', 'Alex', 'alex', 'ALEX', 'AlEx', 'alEX', 'Alex']
    const results = await Promise.allSettled(names.map(player_name => purchase({ item_id: item.id, player_name })))
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ statusCode: 409 })
    const rows = await t.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))
    expect(rows).toHaveLength(1)
    // Another player is not affected.
    await expect(purchase({ item_id: item.id, player_name: 'Steve' })).resolves.toMatchObject({ status: 'pending' })
  })

  it('unknown, disabled or other-store items → 404 and nothing stored', async () => {
    const other = await createOpenStore(t.db, { tag: 'other' })
    const foreign = await createStoreItem(t.db, other)
    const disabled = await createStoreItem(t.db, shop, { enabled: false })
    for (const id of [foreign.id, disabled.id, globalThis.crypto.randomUUID()]) {
      await expect(purchase({ item_id: id })).rejects.toMatchObject({ statusCode: 404 })
    }
    const rows = await t.db.select().from(storeTransactions).where(eq(storeTransactions.itemId, foreign.id))
    expect(rows).toHaveLength(0)
  })

  it('expiry after 30 minutes gives the reservation back (and only once)', async () => {
    const item = await createStoreItem(t.db, shop, { stock: 2 })
    const t0 = new Date()
    const res = await purchase({ item_id: item.id, quantity: 2 }, t0)
    await expect(purchase({ item_id: item.id })).rejects.toMatchObject({ statusCode: 409 })
    expect(await expirePendingTransactions(t.at(new Date(t0.getTime() + 29 * 60_000)))).toBe(0)
    const later = t.at(new Date(t0.getTime() + 31 * 60_000))
    expect(await expirePendingTransactions(later)).toBeGreaterThanOrEqual(1)
    expect(await expirePendingTransactions(later)).toBe(0)
    const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
    expect(tx!.status).toBe('expired')
    const [after] = await t.db.select({ stock: storeItems.stock }).from(storeItems).where(and(eq(storeItems.id, item.id)))
    expect(after!.stock).toBe(2)
  })

  it('a store that is disabled, suspended or without an ACTIVE subscription is not found', async () => {
    const { storeConfig, webstoreSubscriptions, licenses } = await import('../../server/db/schema')
    const db = t.db
    const a = await createOpenStore(db, { tag: 'off' })
    await db.update(storeConfig).set({ enabled: false }).where(eq(storeConfig.licenseId, a.license.id))
    const b = await createOpenStore(db, { tag: 'susp' })
    await db.update(licenses).set({ status: 'suspended' }).where(eq(licenses.id, b.license.id))
    const c = await createOpenStore(db, { tag: 'unsub' })
    await db.update(webstoreSubscriptions).set({ status: 'CANCELLED' }).where(eq(webstoreSubscriptions.licenseId, c.license.id))
    for (const s of [a, b, c]) await expect(findOpenStore(t.deps, s.subdomain)).rejects.toMatchObject({ statusCode: 404 })
    await expect(findOpenStore(t.deps, shop.subdomain)).resolves.toBeTruthy()
  })
})

// A transaction row naming another store's item (never written by Cairn itself) must not let the
// payment transitions move that store's stock or carry its commands to this store's agent.
describe('payment transitions stay inside the transaction\'s license', () => {
  let theirs: StoreFixture
  beforeAll(async () => {
    theirs = await createOpenStore(t.db, { tag: 'theirs' })
  })

  async function crossTenantTx(status: 'pending' | 'expired', stockReserved: boolean) {
    const foreign = await createStoreItem(t.db, theirs, { stock: 10, commands: [{ command: 'op {player}', require_online: false }] })
    const [tx] = await t.db.insert(storeTransactions).values({
      licenseId: shop.license.id, itemId: foreign.id, itemName: 'x', playerName: 'Steve', quantity: 2,
      unitPriceCents: 100, amountCents: 200, currency: 'USD', status, stockReserved, expiresAt: new Date(),
    }).returning()
    return { tx: tx!, foreign }
  }

  const stockOf = async (id: string) => (await t.db.select({ s: storeItems.stock }).from(storeItems).where(eq(storeItems.id, id)))[0]?.s

  it('markPaid of an expired transaction neither takes another store\'s stock nor sends its commands', async () => {
    const { tx, foreign } = await crossTenantTx('expired', false)
    expect((await markPaid(t.deps, shop.license.id, tx.id, 'CAP-X')).changed).toBe(true)
    expect(await stockOf(foreign.id)).toBe(10)
    // The only line names another store's item: nothing of it is queued (no delivery at all).
    const rows = await t.db.select().from(deliveries).where(eq(deliveries.refId, tx.id))
    expect(JSON.stringify(rows.map(r => r.payload))).not.toContain('op Steve')
  })

  it('markFailed and markReturned give no stock to another store\'s item', async () => {
    const a = await crossTenantTx('pending', true)
    expect(await markFailed(t.deps, shop.license.id, a.tx.id, 'declined')).toBe(true)
    expect(await stockOf(a.foreign.id)).toBe(10)
    const b = await crossTenantTx('pending', true)
    expect(await markReturned(t.deps, shop.license.id, b.tx.id, 'refunded')).toBe(true)
    expect(await stockOf(b.foreign.id)).toBe(10)
  })

  it('findStoreTransaction finds by id in any case within the license; a non-UUID or another license\'s id is a 404', async () => {
    const { tx } = await crossTenantTx('pending', false)
    await expect(findStoreTransaction(t.deps, shop.license.id, tx.id.toUpperCase())).resolves.toMatchObject({ id: tx.id })
    for (const [license, id] of [[shop.license.id, 'x'.repeat(65)], [shop.license.id, `${tx.id}0`], [theirs.license.id, tx.id]] as const) {
      await expect(findStoreTransaction(t.deps, license, id)).rejects.toMatchObject({ statusCode: 404, message: 'Transaction not found' })
    }
  })
})
