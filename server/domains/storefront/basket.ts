import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { storeItems, storeTransactionLines, storeTransactions, type StoreItemRow, type StoreTransactionRow } from '../../db/schema'
import { Conflict, InvalidInput, NotFound } from '../../platform/errors'
import type { Deps } from '../../platform/deps'
import type { Basket, Quote } from '../../../shared/contracts/commerce'
import { PENDING_PURCHASE_TTL_MINUTES } from '../../../shared/contracts/limits'
import { usedPlaceholders } from '../../../shared/rules/placeholders'
import { checkCoupon, priceOf, runningSales, type CouponCheck } from './pricing'
import type { OpenStore } from './storefront'

// A basket priced on the server (quote) and reserved all-or-nothing (checkout): items, purchase
// limits, stock and the coupon's use are checked and taken in ONE database transaction.

const PENDING_TTL_MS = PENDING_PURCHASE_TTL_MINUTES * 60 * 1000

export interface BasketOptions {
  /** `/purchase` keeps its answer for an unknown item: 404 instead of 400 `lines.0.item_id`. */
  unknownItem?: 'invalid' | 'not_found'
}

interface PricedBasketLine {
  item: StoreItemRow
  quantity: number
  unitCents: number
  regularCents: number
  lineCents: number
  discountCents: number
}

export interface PricedBasket {
  lines: PricedBasketLine[]
  subtotalCents: number
  discountCents: number
  amountCents: number
  coupon: CouponCheck | null
}

/** The basket's items in basket order; an unknown, disabled or other store's item is a bad line. */
async function basketItems(deps: Deps, store: OpenStore, basket: Basket, lock: boolean, options: BasketOptions): Promise<StoreItemRow[]> {
  const ids = basket.lines.map(l => l.item_id)
  // Locked in id order (not basket order): two baskets with the same items never deadlock.
  const query = deps.db.select().from(storeItems)
    .where(and(inArray(storeItems.id, ids), eq(storeItems.licenseId, store.license.id), eq(storeItems.enabled, true), isNull(storeItems.deletedAt)))
    .orderBy(asc(storeItems.id))
  const rows = lock ? await query.for('update') : await query
  const byId = new Map(rows.map(r => [r.id, r]))
  const missing = basket.lines.findIndex(l => !byId.has(l.item_id))
  if (missing >= 0) {
    if (options.unknownItem === 'not_found') throw new NotFound('Item')
    throw new InvalidInput([{ path: `lines.${missing}.item_id`, message: 'is not an item of this store' }])
  }
  const items = basket.lines.map(l => byId.get(l.item_id)!)
  if (!basket.player_uuid && items.some(i => i.commands.some(c => usedPlaceholders(c.command).includes('uuid')))) {
    throw new InvalidInput([{ path: 'player_uuid', message: 'is required for this basket' }])
  }
  return items
}

async function price(deps: Deps, store: OpenStore, basket: Basket, items: StoreItemRow[], now: Date, lock: boolean): Promise<PricedBasket> {
  const sales = await runningSales(deps, store.license.id, now)
  const lines = basket.lines.map((line, i) => {
    const item = items[i]!
    const p = priceOf(item, sales)
    return { item, quantity: line.quantity, unitCents: p.unitCents, regularCents: p.regularCents, lineCents: p.unitCents * line.quantity, discountCents: 0 }
  })
  const subtotalCents = lines.reduce((sum, l) => sum + l.lineCents, 0)
  let coupon: CouponCheck | null = null
  if (basket.coupon) {
    coupon = await checkCoupon(deps, store.license.id, basket.coupon, {
      playerName: basket.player_name,
      lines: lines.map(l => ({ itemId: l.item.id, categoryId: l.item.categoryId, lineCents: l.lineCents })),
      subtotalCents,
      now,
      lock,
    })
    if (coupon.applied) coupon.discounts.forEach((d, i) => { lines[i]!.discountCents = d })
  }
  const discountCents = lines.reduce((sum, l) => sum + l.discountCents, 0)
  return { lines, subtotalCents, discountCents, amountCents: subtotalCents - discountCents, coupon }
}

/** The basket's price now; reserves nothing. */
export async function quoteBasket(deps: Deps, store: OpenStore, basket: Basket): Promise<Quote> {
  const items = await basketItems(deps, store, basket, false, {})
  const priced = await price(deps, store, basket, items, deps.clock.now(), false)
  return presentQuote(store, basket, priced)
}

export function presentQuote(store: OpenStore, basket: Basket, priced: PricedBasket): Quote {
  const coupon = priced.coupon
  return {
    lines: priced.lines.map(l => ({ item_id: l.item.id, name: l.item.name, quantity: l.quantity, unit_price_cents: l.unitCents, line_cents: l.lineCents })),
    subtotal_cents: priced.subtotalCents,
    discount_cents: priced.discountCents,
    amount_cents: priced.amountCents,
    currency: store.config.currency,
    coupon: !coupon || !basket.coupon
      ? null
      : coupon.applied
        ? { code: coupon.coupon.code, applied: true }
        : { code: coupon.coupon?.code ?? basket.coupon, applied: false, reason: coupon.reason },
  }
}

/** Quantities of each item this player already holds (pending, paid, delivered), read under the items' locks. */
async function heldQuantities(deps: Deps, licenseId: string, playerName: string, itemIds: string[]): Promise<Map<string, number>> {
  if (itemIds.length === 0) return new Map()
  const rows = await deps.db.select({ itemId: storeTransactionLines.itemId, total: sql<number>`coalesce(sum(${storeTransactionLines.quantity}), 0)::int` })
    .from(storeTransactionLines)
    .innerJoin(storeTransactions, eq(storeTransactions.id, storeTransactionLines.transactionId))
    .where(and(
      eq(storeTransactionLines.licenseId, licenseId),
      eq(storeTransactions.licenseId, licenseId),
      inArray(storeTransactionLines.itemId, itemIds),
      sql`lower(${storeTransactions.playerName}) = lower(${playerName})`,
      inArray(storeTransactions.status, ['pending', 'paid', 'delivered']),
    ))
    .groupBy(storeTransactionLines.itemId)
  return new Map(rows.map(r => [r.itemId, r.total]))
}

export interface Reservation {
  transaction: StoreTransactionRow
  priced: PricedBasket
}

/**
 * Checks and takes everything the basket needs, or nothing: one line over its limit or out of
 * stock, or a coupon that does not apply, throws (409) and the transaction rolls back. A basket
 * whose total is 0 is written as paid; `onPaid` queues its delivery in the same transaction.
 */
export async function reserveBasket(deps: Deps, store: OpenStore, basket: Basket, options: BasketOptions, onPaid: (deps: Deps, row: StoreTransactionRow) => Promise<void>): Promise<Reservation> {
  const now = deps.clock.now()
  return deps.db.transaction(async (t) => {
    const txDeps = { ...deps, db: t }
    const items = await basketItems(txDeps, store, basket, true, options)
    const limited = items.filter(i => i.purchaseLimit !== null).map(i => i.id)
    const held = await heldQuantities(txDeps, store.license.id, basket.player_name, limited)
    basket.lines.forEach((line, i) => {
      const item = items[i]!
      const already = held.get(item.id) ?? 0
      if (item.purchaseLimit !== null && already + line.quantity > item.purchaseLimit) {
        throw new Conflict('Purchase limit reached for this player', { path: `lines.${i}.quantity`, line: i, item_id: item.id, field: 'quantity', purchase_limit: item.purchaseLimit, already_purchased: already })
      }
      if (item.stock !== null && item.stock < line.quantity) {
        throw new Conflict('Out of stock', { path: `lines.${i}.quantity`, line: i, item_id: item.id, field: 'quantity', stock: item.stock })
      }
    })
    const priced = await price(txDeps, store, basket, items, now, true)
    if (priced.coupon && !priced.coupon.applied) {
      throw new Conflict(`The coupon cannot be used: ${priced.coupon.reason.replace('_', ' ')}`, { field: 'coupon', reason: priced.coupon.reason })
    }
    for (const item of items) {
      const line = basket.lines[items.indexOf(item)]!
      if (item.stock !== null) await t.update(storeItems).set({ stock: item.stock - line.quantity }).where(and(eq(storeItems.id, item.id), eq(storeItems.licenseId, store.license.id)))
    }
    const first = priced.lines[0]!
    const free = priced.amountCents === 0
    const coupon = priced.coupon?.applied ? priced.coupon.coupon : null
    const [row] = await t.insert(storeTransactions).values({
      licenseId: store.license.id,
      itemId: first.item.id,
      itemName: first.item.name,
      playerName: basket.player_name,
      playerUuid: basket.player_uuid ?? null,
      quantity: first.quantity,
      unitPriceCents: first.unitCents,
      subtotalCents: priced.subtotalCents,
      discountCents: priced.discountCents,
      amountCents: priced.amountCents,
      couponCode: coupon?.code ?? null,
      couponId: coupon?.id ?? null,
      currency: store.config.currency,
      status: free ? 'paid' : 'pending',
      paypalMode: store.config.paypalMode,
      stockReserved: !free && items.some(i => i.stock !== null),
      createdAt: now,
      updatedAt: now,
      paidAt: free ? now : null,
      expiresAt: free ? null : new Date(now.getTime() + PENDING_TTL_MS),
    }).returning()
    if (!row) throw new Error('transaction insert returned nothing')
    await t.insert(storeTransactionLines).values(priced.lines.map((l, position) => ({
      transactionId: row.id,
      licenseId: store.license.id,
      itemId: l.item.id,
      itemName: l.item.name,
      position,
      quantity: l.quantity,
      unitPriceCents: l.unitCents,
      regularUnitPriceCents: l.regularCents,
      lineCents: l.lineCents,
      discountCents: l.discountCents,
      stockReserved: !free && l.item.stock !== null,
    })))
    if (free) await onPaid(txDeps, row)
    return { transaction: row, priced }
  })
}
