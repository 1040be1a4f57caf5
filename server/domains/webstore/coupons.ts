import { and, asc, eq, sql } from 'drizzle-orm'
import { storeCoupons, type StoreCouponRow } from '../../db/schema'
import type { Coupon, CouponInput } from '../../../shared/contracts/commerce'
import type { Deps } from '../../platform/deps'
import { Conflict, NotFound } from '../../platform/errors'
import { isUniqueViolation } from '../../platform/pg-errors'
import { usesByCoupon } from '../storefront/pricing'
import { assertOwnScope } from './scope'
import { changedFields, recordAudit, type Actor } from '../operations/audit'

// The owner's coupons. Codes are unique per store ignoring case; `uses` is counted from the
// checkouts that hold one (pending, paid, delivered), so an expired checkout gives its use back.

export type CouponWithUses = StoreCouponRow & { uses: number }

function columns(input: CouponInput, now: Date) {
  return {
    code: input.code,
    kind: input.kind,
    value: input.value,
    minSubtotalCents: input.min_subtotal_cents,
    startsAt: input.starts_at ?? now,
    endsAt: input.ends_at,
    maxUses: input.max_uses,
    maxUsesPerPlayer: input.max_uses_per_player,
    itemIds: input.item_ids,
    categoryIds: input.category_ids,
    enabled: input.enabled,
  }
}

const codeTaken = () => new Conflict('A coupon with this code already exists in this store', { field: 'code' })

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
  try {
    return await deps.db.transaction(async (t) => {
      await assertOwnScope({ ...deps, db: t }, licenseId, input)
      const now = deps.clock.now()
      const [row] = await t.insert(storeCoupons).values({ licenseId, ...columns(input, now), createdAt: now, updatedAt: now }).returning()
      if (!row) throw new Error('coupon insert returned nothing')
      if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, 'coupon.create', row.id, changedFields(input))
      return { ...row, uses: 0 }
    })
  }
  catch (error) {
    if (isUniqueViolation(error)) throw codeTaken()
    throw error
  }
}

/** PUT replaces the coupon; `starts_at` left out keeps the stored one. Uses are kept. */
export async function updateCoupon(deps: Deps, licenseId: string, couponId: string, input: CouponInput, actor?: Actor): Promise<CouponWithUses> {
  try {
    return await deps.db.transaction(async (t) => {
      const txDeps = { ...deps, db: t }
      const [existing] = await t.select().from(storeCoupons).where(and(eq(storeCoupons.id, couponId), eq(storeCoupons.licenseId, licenseId))).for('update')
      if (!existing) throw new NotFound('Coupon')
      await assertOwnScope(txDeps, licenseId, input)
      const [row] = await t.update(storeCoupons).set({ ...columns({ ...input, starts_at: input.starts_at ?? existing.startsAt }, existing.startsAt), updatedAt: deps.clock.now() })
        .where(and(eq(storeCoupons.id, couponId), eq(storeCoupons.licenseId, licenseId))).returning()
      if (!row) throw new NotFound('Coupon')
      if (actor) await recordAudit(txDeps, licenseId, actor, 'coupon.update', row.id, changedFields(input))
      const [one] = await withUses(txDeps, licenseId, [row])
      return one!
    })
  }
  catch (error) {
    if (isUniqueViolation(error)) throw codeTaken()
    throw error
  }
}

/** Checkouts keep the code they used (a snapshot); the coupon itself goes. */
export async function deleteCoupon(deps: Deps, licenseId: string, couponId: string, actor?: Actor): Promise<void> {
  await deps.db.transaction(async (t) => {
    const [row] = await t.delete(storeCoupons).where(and(eq(storeCoupons.id, couponId), eq(storeCoupons.licenseId, licenseId))).returning({ id: storeCoupons.id, code: storeCoupons.code })
    if (!row) throw new NotFound('Coupon')
    if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, 'coupon.delete', row.id, { code: row.code })
  })
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
    item_ids: row.itemIds,
    category_ids: row.categoryIds,
    enabled: row.enabled,
    uses: row.uses,
  }
}
