import { asc, eq, sql } from 'drizzle-orm'
import { storeCoupons, type StoreCouponRow } from '../../db/schema'
import type { Coupon, CouponInput } from '../../../shared/contracts/commerce'
import type { Deps } from '../../platform/deps'
import { Conflict } from '../../platform/errors'
import { isUniqueViolation } from '../../platform/pg-errors'
import { usesByCoupon } from '../storefront/pricing'
import { deleteOffer, ownOffer, scopeView, saveOffer } from './scope'
import type { Actor } from '../operations/audit'

// The owner's coupons. Codes are unique per store ignoring case; `uses` is counted from the
// checkouts that hold one (pending, paid, delivered), so an expired checkout gives its use back.

export type CouponWithUses = StoreCouponRow & { uses: number }

/** `startsAt` undefined (a replace without starts_at) is left out of the update: the stored one stays. */
function columns<S extends Date | undefined>(input: CouponInput, startsAt: S) {
  return {
    code: input.code,
    kind: input.kind,
    value: input.value,
    minSubtotalCents: input.min_subtotal_cents,
    startsAt,
    endsAt: input.ends_at,
    maxUses: input.max_uses,
    maxUsesPerPlayer: input.max_uses_per_player,
    itemIds: input.item_ids,
    categoryIds: input.category_ids,
    enabled: input.enabled,
  }
}

export function presentCoupon(row: CouponWithUses): Coupon {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    value: row.value,
    min_subtotal_cents: row.minSubtotalCents,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt?.toISOString() ?? null,
    max_uses: row.maxUses,
    max_uses_per_player: row.maxUsesPerPlayer,
    ...scopeView(row),
    enabled: row.enabled,
    uses: row.uses,
  }
}

/** A coupon write whose code another coupon of the store holds (any case) answers 409 naming `code`. */
async function withCodeTaken<T>(write: Promise<T>): Promise<T> {
  try {
    return await write
  }
  catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('A coupon with this code already exists in this store', { field: 'code' })
    throw error
  }
}

async function withUses(deps: Deps, licenseId: string, rows: StoreCouponRow[]): Promise<CouponWithUses[]> {
  const uses = await usesByCoupon(deps, licenseId, rows.map(r => r.id))
  return rows.map(r => ({ ...r, uses: uses.get(r.id) ?? 0 }))
}

export async function listCoupons(deps: Deps, licenseId: string): Promise<CouponWithUses[]> {
  const rows = await deps.db.select().from(storeCoupons).where(eq(storeCoupons.licenseId, licenseId))
    .orderBy(asc(sql`lower(${storeCoupons.code})`))
  return withUses(deps, licenseId, rows)
}

export async function createCoupon(deps: Deps, licenseId: string, input: CouponInput, actor?: Actor): Promise<CouponWithUses> {
  return withCodeTaken(saveOffer(deps, 'coupon', licenseId, { input, actor }, async (tx) => {
    const now = deps.clock.now()
    const [row] = await tx.db.insert(storeCoupons).values({ licenseId, ...columns(input, input.starts_at ?? now), createdAt: now, updatedAt: now }).returning()
    return row && { ...row, uses: 0 }
  }))
}

/** PUT replaces the coupon; `starts_at` left out keeps the stored one. Uses are kept. */
export async function updateCoupon(deps: Deps, licenseId: string, couponId: string, input: CouponInput, actor?: Actor): Promise<CouponWithUses> {
  return withCodeTaken(saveOffer(deps, 'coupon', licenseId, { id: couponId, input, actor }, async (tx) => {
    const [row] = await tx.db.update(storeCoupons).set({ ...columns(input, input.starts_at ?? undefined), updatedAt: deps.clock.now() })
      .where(ownOffer('coupon', licenseId, couponId)).returning()
    return row && (await withUses(tx, licenseId, [row]))[0]
  }))
}

/** Checkouts keep the code they used (a snapshot); the coupon itself goes. */
export const deleteCoupon = (deps: Deps, licenseId: string, couponId: string, actor?: Actor): Promise<void> => deleteOffer(deps, 'coupon', licenseId, couponId, actor)
