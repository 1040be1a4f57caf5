import { asc, eq } from 'drizzle-orm'
import { storeSales, type StoreSaleRow } from '../../db/schema'
import type { Sale, SaleInput } from '../../../shared/contracts/commerce'
import type { Deps } from '../../platform/deps'
import { deleteOffer, ownOffer, scopeView, saveOffer } from './scope'
import type { Actor } from '../operations/audit'

// The owner's timed sales. While one runs, the storefront and the checkout price its items at the
// sale price; overlapping sales: the highest percent wins (shared/rules/pricing.ts).

function columns(input: SaleInput) {
  return { name: input.name, percent: input.percent, startsAt: input.starts_at, endsAt: input.ends_at, itemIds: input.item_ids, categoryIds: input.category_ids }
}

export function presentSale(row: StoreSaleRow): Sale {
  return {
    id: row.id,
    name: row.name,
    percent: row.percent,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    ...scopeView(row),
  }
}

export async function listSales(deps: Deps, licenseId: string): Promise<StoreSaleRow[]> {
  return deps.db.select().from(storeSales).where(eq(storeSales.licenseId, licenseId)).orderBy(asc(storeSales.startsAt), asc(storeSales.id))
}

export async function createSale(deps: Deps, licenseId: string, input: SaleInput, actor?: Actor): Promise<StoreSaleRow> {
  return saveOffer(deps, 'sale', licenseId, { input, actor }, async (tx) => {
    const now = deps.clock.now()
    const [row] = await tx.db.insert(storeSales).values({ licenseId, ...columns(input), createdAt: now, updatedAt: now }).returning()
    return row
  })
}

export async function updateSale(deps: Deps, licenseId: string, saleId: string, input: SaleInput, actor?: Actor): Promise<StoreSaleRow> {
  return saveOffer(deps, 'sale', licenseId, { id: saleId, input, actor }, async (tx) => {
    const [row] = await tx.db.update(storeSales).set({ ...columns(input), updatedAt: deps.clock.now() }).where(ownOffer('sale', licenseId, saleId)).returning()
    return row
  })
}

export const deleteSale = (deps: Deps, licenseId: string, saleId: string, actor?: Actor): Promise<void> => deleteOffer(deps, 'sale', licenseId, saleId, actor)
