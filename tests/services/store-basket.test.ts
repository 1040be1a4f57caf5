import { and, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { deliveries, storeCoupons, storeItems, storeSales, storeTransactionLines, storeTransactions, type StoreItemRow } from '../../server/db/schema'
import { parseInput } from '../../server/platform/validation'
import { quoteBasket } from '../../server/domains/storefront/basket'
import { createCheckout } from '../../server/domains/storefront/checkout'
import { expirePendingTransactions } from '../../server/domains/storefront/expiry'
import { findOpenStore } from '../../server/domains/storefront/storefront'
import { markPaid } from '../../server/domains/storefront/transitions'
import { basketSchema, type BasketInput } from '../../shared/contracts/commerce'
import type { DeliveryMessage } from '../../shared/contracts/agent'
import { useFakePayPal } from '../support/fake-paypal'
import { createOpenStore, createStoreItem, fakeOrder, withPayPal, type StoreFixture } from '../support/paypal'
import { useTestDatabase } from '../support/test-database'

// Baskets: one transaction reserves every line (or nothing), one PayPal order carries the items and
// the discount, one delivery runs every line's commands; coupons and sales priced on the server.

const t = useTestDatabase('cairn_store_basket')
useFakePayPal()
let shop: StoreFixture

beforeAll(async () => {
  shop = await createOpenStore(t.db, { tag: 'basket' })
})

const store = () => findOpenStore(t.deps, shop.subdomain)
const basket = (input: Partial<BasketInput> & Pick<BasketInput, 'lines'>) => parseInput(basketSchema, { player_name: 'Steve', ...input })
const checkout = async (input: Partial<BasketInput> & Pick<BasketInput, 'lines'>, now = new Date()) =>
  createCheckout(withPayPal(t.at(now)), await store(), basket(input), { storefrontBase: `http://cairn.test/s/${shop.subdomain}` })
const quote = async (input: Partial<BasketInput> & Pick<BasketInput, 'lines'>, now = new Date()) => quoteBasket(t.at(now), await store(), basket(input))

async function coupon(values: Partial<typeof storeCoupons.$inferInsert> & { code: string }) {
  const [row] = await t.db.insert(storeCoupons).values({ licenseId: shop.license.id, kind: 'percent', value: 10, startsAt: new Date(Date.now() - 60_000), ...values }).returning()
  return row!
}
const stockOf = async (item: StoreItemRow) => (await t.db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, item.id)))[0]!.stock
const txCount = async (items: StoreItemRow[]) => (await t.db.select().from(storeTransactionLines).where(inArray(storeTransactionLines.itemId, items.map(i => i.id)))).length

describe('checkout', () => {
  it('one PayPal order lists every line and the discount, and its amount equals the quote', async () => {
    const rank = await createStoreItem(t.db, shop, { name: 'Rank', priceCents: 1000 })
    const key = await createStoreItem(t.db, shop, { name: 'Crate key', priceCents: 250, stock: 10 })
    await coupon({ code: 'Order10', kind: 'percent', value: 10, itemIds: [key.id] })
    const lines = [{ item_id: rank.id, quantity: 1 }, { item_id: key.id, quantity: 3 }]
    const q = await quote({ lines, coupon: 'order10' })
    expect(q).toMatchObject({ subtotal_cents: 1750, discount_cents: 75, amount_cents: 1675, currency: 'USD', coupon: { code: 'Order10', applied: true } })
    expect(q.lines).toEqual([
      { item_id: rank.id, name: 'Rank', quantity: 1, unit_price_cents: 1000, line_cents: 1000 },
      { item_id: key.id, name: 'Crate key', quantity: 3, unit_price_cents: 250, line_cents: 750 },
    ])
    const res = await checkout({ lines, coupon: 'ORDER10' })
    expect(res).toMatchObject({ status: 'pending', subtotal_cents: 1750, discount_cents: 75, amount_cents: q.amount_cents })
    const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
    const unit = (await fakeOrder(tx!.paypalOrderId!)).purchase_units[0]!
    expect(unit.amount).toEqual({ currency_code: 'USD', value: '16.75', breakdown: { item_total: { currency_code: 'USD', value: '17.50' }, discount: { currency_code: 'USD', value: '0.75' } } })
    expect(unit.items!.map(i => [i.name, i.quantity, i.unit_amount.value])).toEqual([['Rank', '1', '10.00'], ['Crate key', '3', '2.50']])
    expect(tx).toMatchObject({ subtotalCents: 1750, discountCents: 75, amountCents: 1675, couponCode: 'Order10', itemId: rank.id, quantity: 1 })
    expect(await stockOf(key)).toBe(7)
  })

  it('a basket with one line over its limit reserves nothing: 409 naming the line, no stock, no transaction, no coupon use', async () => {
    const free = await createStoreItem(t.db, shop, { name: 'Kit', priceCents: 300, stock: 5 })
    const limited = await createStoreItem(t.db, shop, { name: 'Pet', priceCents: 500, purchaseLimit: 2 })
    const c = await coupon({ code: 'LIMITED1', maxUses: 1 })
    await expect(checkout({ lines: [{ item_id: free.id, quantity: 2 }, { item_id: limited.id, quantity: 3 }], coupon: c.code }))
      .rejects.toMatchObject({ statusCode: 409, data: { path: 'lines.1.quantity', purchase_limit: 2 } })
    expect(await stockOf(free)).toBe(5)
    expect(await txCount([free, limited])).toBe(0)
    // The coupon's single use is still there.
    expect((await quote({ lines: [{ item_id: free.id }], coupon: c.code })).coupon).toEqual({ code: 'LIMITED1', applied: true })
  })

  it('one line out of stock → 409, the other line keeps its stock', async () => {
    const a = await createStoreItem(t.db, shop, { stock: 4 })
    const b = await createStoreItem(t.db, shop, { stock: 1 })
    await expect(checkout({ lines: [{ item_id: a.id, quantity: 4 }, { item_id: b.id, quantity: 2 }] })).rejects.toMatchObject({ statusCode: 409, data: { path: 'lines.1.quantity', stock: 1 } })
    expect([await stockOf(a), await stockOf(b)]).toEqual([4, 1])
  })

  it('a bad line is a 400 naming lines.N.<field>; another store\'s item is not an item here', async () => {
    const other = await createOpenStore(t.db, { tag: 'basket-other' })
    const theirs = await createStoreItem(t.db, other)
    const mine = await createStoreItem(t.db, shop)
    await expect(checkout({ lines: [{ item_id: mine.id }, { item_id: theirs.id }] })).rejects.toMatchObject({ statusCode: 400, data: { issues: [{ path: 'lines.1.item_id' }] } })
    const bad = basketSchema.safeParse({ player_name: 'Steve', lines: [{ item_id: mine.id }, { item_id: mine.id, quantity: 65 }] })
    expect(bad.error?.issues.map(i => i.path.join('.'))).toEqual(expect.arrayContaining(['lines.1.quantity', 'lines.1.item_id']))
    expect(await txCount([mine, theirs])).toBe(0)
  })

  it('30 concurrent checkouts against a coupon with max_uses 5 → exactly 5 take it, 25 × 409 used_up', async () => {
    const item = await createStoreItem(t.db, shop, { priceCents: 800 })
    const c = await coupon({ code: 'FIRST5', maxUses: 5 })
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => checkout({ player_name: `Player_${i}`, lines: [{ item_id: item.id }], coupon: c.code })))
    const ok = results.filter(r => r.status === 'fulfilled')
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(ok).toHaveLength(5)
    for (const r of refused) expect(r.reason).toMatchObject({ statusCode: 409, data: { reason: 'used_up' } })
    const rows = await t.db.select().from(storeTransactions).where(eq(storeTransactions.couponId, c.id))
    expect(rows).toHaveLength(5)
  })

  it('max_uses_per_player holds per player name, ignoring case', async () => {
    const item = await createStoreItem(t.db, shop)
    const c = await coupon({ code: 'ONCE-EACH', maxUsesPerPlayer: 1 })
    await checkout({ player_name: 'Alex', lines: [{ item_id: item.id }], coupon: c.code })
    await expect(checkout({ player_name: 'ALEX', lines: [{ item_id: item.id }], coupon: c.code })).rejects.toMatchObject({ statusCode: 409, data: { reason: 'player_limit' } })
    await expect(checkout({ player_name: 'Sam', lines: [{ item_id: item.id }], coupon: c.code })).resolves.toMatchObject({ status: 'pending' })
  })

  it('an unknown, disabled, expired, not yet started or used-up coupon: quote says why, checkout is a 409 with data.reason', async () => {
    const item = await createStoreItem(t.db, shop, { priceCents: 1000 })
    const now = new Date()
    await coupon({ code: 'OFF-DISABLED', enabled: false })
    await coupon({ code: 'OFF-EXPIRED', startsAt: new Date(now.getTime() - 7200_000), endsAt: new Date(now.getTime() - 3600_000) })
    await coupon({ code: 'OFF-LATER', startsAt: new Date(now.getTime() + 3600_000) })
    await coupon({ code: 'OFF-MIN', minSubtotalCents: 5000 })
    await coupon({ code: 'OFF-OTHER', itemIds: [globalThis.crypto.randomUUID()] })
    const cases = [['NOPE', 'unknown'], ['off-disabled', 'disabled'], ['OFF-EXPIRED', 'expired'], ['OFF-LATER', 'not_started'], ['OFF-MIN', 'min_subtotal'], ['OFF-OTHER', 'not_eligible']] as const
    for (const [code, reason] of cases) {
      const q = await quote({ lines: [{ item_id: item.id }], coupon: code }, now)
      expect(q).toMatchObject({ amount_cents: 1000, discount_cents: 0, coupon: { applied: false, reason } })
      await expect(checkout({ lines: [{ item_id: item.id }], coupon: code }, now)).rejects.toMatchObject({ statusCode: 409, data: { reason } })
    }
    expect(await txCount([item])).toBe(0)
  })

  it('an amount coupon never takes a line below 0; a 100 % coupon is paid at once, without PayPal, and delivered as one message', async () => {
    const a = await createStoreItem(t.db, shop, { name: 'A', priceCents: 300, commands: [{ command: 'give {player} a {quantity}', require_online: false }] })
    const b = await createStoreItem(t.db, shop, { name: 'B', priceCents: 200, stock: 3, commands: [{ command: 'give {player} b {quantity}', require_online: true }, { command: 'say {item_id}', require_online: false }] })
    await coupon({ code: 'BIG-AMOUNT', kind: 'amount', value: 100_000 })
    const q = await quote({ lines: [{ item_id: a.id, quantity: 2 }, { item_id: b.id }], coupon: 'BIG-AMOUNT' })
    expect(q).toMatchObject({ subtotal_cents: 800, discount_cents: 800, amount_cents: 0 })
    await coupon({ code: 'FREE100', kind: 'percent', value: 100 })
    const res = await checkout({ lines: [{ item_id: a.id, quantity: 2 }, { item_id: b.id, quantity: 1 }], coupon: 'FREE100' })
    expect(res).toMatchObject({ status: 'paid', approval_url: null, amount_cents: 0, discount_cents: 800 })
    const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
    expect(tx).toMatchObject({ status: 'paid', paypalOrderId: null, amountCents: 0 })
    const rows = await t.db.select().from(deliveries).where(eq(deliveries.refId, res.transaction_id))
    expect(rows).toHaveLength(1)
    expect((rows[0]!.payload as DeliveryMessage).commands).toEqual([
      { command: 'give Steve a 2', require_online: false },
      { command: 'give Steve b 1', require_online: true },
      { command: `say ${b.id}`, require_online: false },
    ])
    expect(await stockOf(b)).toBe(2)
  })

  it('after payment one delivery runs every line\'s commands in basket order, each with its own {quantity}', async () => {
    const a = await createStoreItem(t.db, shop, { commands: [{ command: 'rank {player} {quantity}', require_online: false }] })
    const b = await createStoreItem(t.db, shop, { commands: [{ command: 'keys {player} {quantity} {price}', require_online: false }], priceCents: 150 })
    const res = await checkout({ lines: [{ item_id: b.id, quantity: 4 }, { item_id: a.id, quantity: 1 }] })
    expect((await markPaid(t.deps, shop.license.id, res.transaction_id, 'CAP-1')).changed).toBe(true)
    const rows = await t.db.select().from(deliveries).where(eq(deliveries.refId, res.transaction_id))
    expect(rows).toHaveLength(1)
    expect((rows[0]!.payload as DeliveryMessage).commands.map(c => c.command)).toEqual(['keys Steve 4 1.50', 'rank Steve 1'])
  })

  it('a pending checkout that expires gives back its stock, its limit quantities and its coupon use', async () => {
    const item = await createStoreItem(t.db, shop, { stock: 2, purchaseLimit: 2 })
    const c = await coupon({ code: 'EXPIRY1', maxUses: 1 })
    const start = new Date()
    await checkout({ player_name: 'Late', lines: [{ item_id: item.id, quantity: 2 }], coupon: c.code }, start)
    expect(await stockOf(item)).toBe(0)
    await expect(checkout({ player_name: 'Late', lines: [{ item_id: item.id }] }, start)).rejects.toMatchObject({ statusCode: 409 })
    const later = new Date(start.getTime() + 31 * 60_000)
    expect(await expirePendingTransactions(t.at(later))).toBeGreaterThanOrEqual(1)
    expect(await stockOf(item)).toBe(2)
    await expect(checkout({ player_name: 'Late', lines: [{ item_id: item.id, quantity: 2 }], coupon: c.code }, later)).resolves.toMatchObject({ status: 'pending' })
  })
})

describe('sales', () => {
  it('the highest running percent wins; the checkout charges the price at the moment of checkout', async () => {
    const item = await createStoreItem(t.db, shop, { priceCents: 1000 })
    const now = new Date()
    const hour = 3600_000
    await t.db.insert(storeSales).values([
      { licenseId: shop.license.id, name: 'Small', percent: 10, startsAt: new Date(now.getTime() - hour), endsAt: new Date(now.getTime() + hour), itemIds: [item.id] },
      { licenseId: shop.license.id, name: 'Big', percent: 30, startsAt: new Date(now.getTime() - hour), endsAt: new Date(now.getTime() + hour), categoryIds: [shop.categoryId] },
      { licenseId: shop.license.id, name: 'Later', percent: 80, startsAt: new Date(now.getTime() + hour), endsAt: new Date(now.getTime() + 2 * hour), itemIds: [item.id] },
    ])
    expect((await quote({ lines: [{ item_id: item.id, quantity: 2 }] }, now)).lines[0]).toMatchObject({ unit_price_cents: 700, line_cents: 1400 })
    const during = await checkout({ lines: [{ item_id: item.id }] }, now)
    expect(during.amount_cents).toBe(700)
    const [line] = await t.db.select().from(storeTransactionLines).where(and(eq(storeTransactionLines.transactionId, during.transaction_id)))
    expect(line).toMatchObject({ unitPriceCents: 700, regularUnitPriceCents: 1000 })
    const after = await checkout({ lines: [{ item_id: item.id }] }, new Date(now.getTime() + 1.5 * hour))
    expect(after.amount_cents).toBe(200)
  })
})
