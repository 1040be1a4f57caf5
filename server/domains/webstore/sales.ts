import { and, asc, eq } from 'drizzle-orm'
import { storeSales, type StoreSaleRow } from '../../db/schema'
import type { Sale, SaleInput } from '../../../shared/contracts/commerce'
import type { Deps } from '../../platform/deps'
import { NotFound } from '../../platform/errors'
import { assertOwnScope } from './scope'
import { changedFields, recordAudit, type Actor } from '../operations/audit'

// The owner's timed sales. While one runs, the storefront and the checkout price its items at the
// sale price; overlapping sales: the highest percent wins (shared/rules/pricing.ts).

function columns(input: SaleInput) {
  return { name: input.name, percent: input.percent, startsAt: input.starts_at, endsAt: input.ends_at, itemIds: input.item_ids, categoryIds: input.category_ids }
}

export async function listSales(deps: Deps, licenseId: string): Promise<StoreSaleRow[]> {
  return deps.db.select().from(storeSales).where(eq(storeSales.licenseId, licenseId)).orderBy(asc(storeSales.startsAt), asc(storeSales.id))
}

export async function createSale(deps: Deps, licenseId: string, input: SaleInput, actor?: Actor): Promise<StoreSaleRow> {
  return deps.db.transaction(async (t) => {
    await assertOwnScope({ ...deps, db: t }, licenseId, input)
    const now = deps.clock.now()
    const [row] = await t.insert(storeSales).values({ licenseId, ...columns(input), createdAt: now, updatedAt: now }).returning()
    if (!row) throw new Error('sale insert returned nothing')
    if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, 'sale.create', row.id, changedFields(input))
    return row
  })
}

export async function updateSale(deps: Deps, licenseId: string, saleId: string, input: SaleInput, actor?: Actor): Promise<StoreSaleRow> {
  return deps.db.transaction(async (t) => {
    const [existing] = await t.select({ id: storeSales.id }).from(storeSales).where(and(eq(storeSales.id, saleId), eq(storeSales.licenseId, licenseId))).for('update')
    if (!existing) throw new NotFound('Sale')
    await assertOwnScope({ ...deps, db: t }, licenseId, input)
    const [row] = await t.update(storeSales).set({ ...columns(input), updatedAt: deps.clock.now() })
      .where(and(eq(storeSales.id, saleId), eq(storeSales.licenseId, licenseId))).returning()
    if (!row) throw new NotFound('Sale')
    if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, 'sale.update', row.id, changedFields(input))
    return row
  })
}

export async function deleteSale(deps: Deps, licenseId: string, saleId: string, actor?: Actor): Promise<void> {
  await deps.db.transaction(async (t) => {
    const [row] = await t.delete(storeSales).where(and(eq(storeSales.id, saleId), eq(storeSales.licenseId, licenseId))).returning({ id: storeSales.id, name: storeSales.name })
    if (!row) throw new NotFound('Sale')
    if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, 'sale.delete', row.id, { name: row.name })
  })
}

export function presentSale(row: StoreSaleRow): Sale {
  return {
    id: row.id,
    name: row.name,
    percent: row.percent,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    item_ids: row.itemIds,
    category_ids: row.categoryIds,
  }
}
