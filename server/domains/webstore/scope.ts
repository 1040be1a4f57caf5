import { and, eq, inArray, isNull } from 'drizzle-orm'
import { storeCategories, storeCoupons, storeItems, storeSales } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { InvalidInput, NotFound, type Issue } from '../../platform/errors'
import { changedFields, recordAudit, type Actor } from '../operations/audit'

// What coupons and sales (the store's "offers") share: a scope of item_ids / category_ids that must
// name this store's own items and categories (another store's id is refused like one that does not
// exist), and writes that check it and record their audit event in the same transaction.

export interface OfferScope {
  item_ids: string[]
  category_ids: string[]
}

const OFFERS = {
  coupon: { table: storeCoupons, noun: 'Coupon' },
  sale: { table: storeSales, noun: 'Sale' },
} as const

export type OfferKind = keyof typeof OFFERS

export async function assertOwnScope(deps: Deps, licenseId: string, scope: OfferScope): Promise<void> {
  const issues: Issue[] = []
  if (scope.item_ids.length > 0) {
    const found = await deps.db.select({ id: storeItems.id }).from(storeItems)
      .where(and(eq(storeItems.licenseId, licenseId), inArray(storeItems.id, scope.item_ids), isNull(storeItems.deletedAt)))
    const ids = new Set(found.map(r => r.id))
    scope.item_ids.forEach((id, i) => { if (!ids.has(id)) issues.push({ path: `item_ids.${i}`, message: 'is not an item of this store' }) })
  }
  if (scope.category_ids.length > 0) {
    const found = await deps.db.select({ id: storeCategories.id }).from(storeCategories)
      .where(and(eq(storeCategories.licenseId, licenseId), inArray(storeCategories.id, scope.category_ids)))
    const ids = new Set(found.map(r => r.id))
    scope.category_ids.forEach((id, i) => { if (!ids.has(id)) issues.push({ path: `category_ids.${i}`, message: 'is not a category of this store' }) })
  }
  if (issues.length > 0) throw new InvalidInput(issues)
}

/** A coupon's or sale's scope as the API shows it. */
export function scopeView(row: { itemIds: string[], categoryIds: string[] }): OfferScope {
  return { item_ids: row.itemIds, category_ids: row.categoryIds }
}

/** The `where` naming one coupon or sale of this store: another store's id matches nothing. */
export function ownOffer(kind: OfferKind, licenseId: string, id: string) {
  const { table } = OFFERS[kind]
  return and(eq(table.id, id), eq(table.licenseId, licenseId))
}

/**
 * A coupon's or sale's create (no `id`) or replace (`id`), in one transaction: a replace first locks
 * the stored row (404 when this store has none, before the scope is judged); then the scope is
 * checked, `write` runs, and the audit event names the fields sent.
 */
export async function saveOffer<Row extends { id: string }>(
  deps: Deps,
  kind: OfferKind,
  licenseId: string,
  change: { id?: string, input: OfferScope & Record<string, unknown>, actor: Actor | undefined },
  write: (tx: Deps) => Promise<Row | undefined>,
): Promise<Row> {
  const { table, noun } = OFFERS[kind]
  return deps.db.transaction(async (t) => {
    const tx = { ...deps, db: t }
    if (change.id !== undefined) {
      const [stored] = await t.select({ id: table.id }).from(table).where(ownOffer(kind, licenseId, change.id)).for('update')
      if (!stored) throw new NotFound(noun)
    }
    await assertOwnScope(tx, licenseId, change.input)
    const row = await write(tx)
    if (!row) throw change.id === undefined ? new Error(`${kind} insert returned nothing`) : new NotFound(noun)
    if (change.actor) await recordAudit(tx, licenseId, change.actor, `${kind}.${change.id === undefined ? 'create' : 'update'}`, row.id, changedFields(change.input))
    return row
  })
}

/** Deletes a coupon or sale of this store (404 otherwise); the audit event keeps what named it. */
export async function deleteOffer(deps: Deps, kind: OfferKind, licenseId: string, id: string, actor: Actor | undefined): Promise<void> {
  const { table, noun } = OFFERS[kind]
  await deps.db.transaction(async (t) => {
    const [row] = await t.delete(table).where(ownOffer(kind, licenseId, id)).returning()
    if (!row) throw new NotFound(noun)
    const detail = 'code' in row ? { code: row.code } : { name: row.name }
    if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, `${kind}.delete`, row.id, detail)
  })
}
