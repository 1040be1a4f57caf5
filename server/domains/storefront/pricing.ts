import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm'
import { storeCoupons, storeSales, storeTransactions, type StoreCouponRow, type StoreItemRow, type StoreSaleRow } from '../../db/schema'
import type { CouponReason } from '../../../shared/contracts/enums'
import { bestSale, couponDiscounts, inScope, salePrice } from '../../../shared/rules/pricing'
import type { Deps } from '../../platform/deps'

// Prices at one instant: the running sales for every item, and whether a coupon applies to a
// basket. The checkout calls these inside its transaction, with the coupon row locked.

export type PricedItem = Pick<StoreItemRow, 'id' | 'categoryId' | 'priceCents'>

/** Sales running at `now` (starts_at ≤ now < ends_at). */
export async function runningSales(deps: Deps, licenseId: string, now: Date): Promise<StoreSaleRow[]> {
  return deps.db.select().from(storeSales)
    .where(and(eq(storeSales.licenseId, licenseId), lte(storeSales.startsAt, now), gt(storeSales.endsAt, now)))
}

export interface ItemPrice {
  unitCents: number
  regularCents: number
  sale: StoreSaleRow | null
}

export function priceOf(item: PricedItem, sales: readonly StoreSaleRow[]): ItemPrice {
  const sale = bestSale(sales, item.id, item.categoryId)
  return { unitCents: sale ? salePrice(item.priceCents, sale.percent) : item.priceCents, regularCents: item.priceCents, sale }
}

export interface PricedLine {
  itemId: string
  categoryId: string | null
  lineCents: number
}

export type CouponCheck =
  | { applied: true, coupon: StoreCouponRow, discounts: number[] }
  | { applied: false, coupon: StoreCouponRow | null, reason: CouponReason }

const COUNTED = ['pending', 'paid', 'delivered'] as const

/** How often the coupon is in use (pending, paid, delivered), overall and by this player. */
async function couponUses(deps: Deps, coupon: StoreCouponRow, playerName: string): Promise<{ total: number, player: number }> {
  const [row] = await deps.db.select({
    total: sql<number>`count(*)::int`,
    player: sql<number>`count(*) filter (where lower(${storeTransactions.playerName}) = lower(${playerName}))::int`,
  }).from(storeTransactions)
    .where(and(eq(storeTransactions.licenseId, coupon.licenseId), eq(storeTransactions.couponId, coupon.id), inArray(storeTransactions.status, [...COUNTED])))
  return { total: row?.total ?? 0, player: row?.player ?? 0 }
}

/**
 * Whether `code` takes something off this basket. With `lock`, the coupon row stays locked until
 * the caller's transaction ends, so concurrent checkouts count each other's uses (max_uses holds).
 */
export async function checkCoupon(deps: Deps, licenseId: string, code: string, input: { playerName: string, lines: PricedLine[], subtotalCents: number, now: Date, lock: boolean }): Promise<CouponCheck> {
  const query = deps.db.select().from(storeCoupons)
    .where(and(eq(storeCoupons.licenseId, licenseId), sql`lower(${storeCoupons.code}) = lower(${code})`))
  const [coupon] = input.lock ? await query.for('update') : await query
  if (!coupon) return { applied: false, coupon: null, reason: 'unknown' }
  const refuse = (reason: CouponReason): CouponCheck => ({ applied: false, coupon, reason })
  if (!coupon.enabled) return refuse('disabled')
  if (coupon.startsAt > input.now) return refuse('not_started')
  if (coupon.endsAt && coupon.endsAt <= input.now) return refuse('expired')
  if (coupon.maxUses !== null || coupon.maxUsesPerPlayer !== null) {
    const uses = await couponUses(deps, coupon, input.playerName)
    if (coupon.maxUses !== null && uses.total >= coupon.maxUses) return refuse('used_up')
    if (coupon.maxUsesPerPlayer !== null && uses.player >= coupon.maxUsesPerPlayer) return refuse('player_limit')
  }
  if (coupon.minSubtotalCents !== null && input.subtotalCents < coupon.minSubtotalCents) return refuse('min_subtotal')
  const scope = { itemIds: coupon.itemIds, categoryIds: coupon.categoryIds }
  if (!input.lines.some(l => inScope(scope, l.itemId, l.categoryId))) return refuse('not_eligible')
  return { applied: true, coupon, discounts: couponDiscounts({ ...scope, kind: coupon.kind, value: coupon.value }, input.lines) }
}

/** Uses per coupon for the owner's list (pending, paid and delivered checkouts). */
export async function usesByCoupon(deps: Deps, licenseId: string, couponIds: string[]): Promise<Map<string, number>> {
  if (couponIds.length === 0) return new Map()
  const rows = await deps.db.select({ id: storeTransactions.couponId, uses: sql<number>`count(*)::int` }).from(storeTransactions)
    .where(and(eq(storeTransactions.licenseId, licenseId), inArray(storeTransactions.couponId, couponIds), inArray(storeTransactions.status, [...COUNTED])))
    .groupBy(storeTransactions.couponId)
  return new Map(rows.map(r => [r.id ?? '', r.uses]))
}
