import { and, asc, count, eq, isNull } from 'drizzle-orm'
import { storeCategories, storeItems, type StoreCategoryRow } from '../../db/schema'
import type { CategoryInput, StoreCategory } from '../../../shared/contracts/webstore'
import type { Deps } from '../../platform/deps'
import { Conflict, NotFound } from '../../platform/errors'
import { changedFields, recordAudit, type Actor } from '../operations/audit'

export async function listCategories(deps: Deps, licenseId: string): Promise<StoreCategoryRow[]> {
  return deps.db.select().from(storeCategories)
    .where(eq(storeCategories.licenseId, licenseId))
    .orderBy(asc(storeCategories.sortOrder), asc(storeCategories.name), asc(storeCategories.id))
}

export async function createCategory(deps: Deps, licenseId: string, input: CategoryInput, actor?: Actor): Promise<StoreCategoryRow> {
  return deps.db.transaction(async (t) => {
    const [row] = await t.insert(storeCategories).values({
      licenseId,
      name: input.name,
      description: input.description,
      sortOrder: input.sort_order,
    }).returning()
    if (!row) throw new Error('category insert returned nothing')
    if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, 'category.create', row.id, { name: row.name })
    return row
  })
}

/** One query authorizes and updates: another license's category is simply not found. */
export async function updateCategory(deps: Deps, licenseId: string, categoryId: string, input: CategoryInput, actor?: Actor): Promise<StoreCategoryRow> {
  return deps.db.transaction(async (t) => {
    const [row] = await t.update(storeCategories)
      .set({ name: input.name, description: input.description, sortOrder: input.sort_order, updatedAt: deps.clock.now() })
      .where(and(eq(storeCategories.id, categoryId), eq(storeCategories.licenseId, licenseId)))
      .returning()
    if (!row) throw new NotFound('Category')
    if (actor) await recordAudit({ ...deps, db: t }, licenseId, actor, 'category.update', row.id, changedFields(input))
    return row
  })
}

/**
 * Deletes a category that no live item uses (409 otherwise). The row lock pairs with the share
 * lock item writes take, so an item cannot be filed under the category while it is deleted.
 */
export async function deleteCategory(deps: Deps, licenseId: string, categoryId: string, actor?: Actor): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [category] = await tx.select({ id: storeCategories.id }).from(storeCategories)
      .where(and(eq(storeCategories.id, categoryId), eq(storeCategories.licenseId, licenseId)))
      .for('update')
    if (!category) throw new NotFound('Category')
    const [usage] = await tx.select({ n: count() }).from(storeItems)
      .where(and(eq(storeItems.licenseId, licenseId), eq(storeItems.categoryId, categoryId), isNull(storeItems.deletedAt)))
    const items = usage?.n ?? 0
    if (items > 0) {
      throw new Conflict(`This category still has ${items} item${items === 1 ? '' : 's'}: move or delete them first`, { item_count: items })
    }
    await tx.delete(storeCategories).where(and(eq(storeCategories.id, categoryId), eq(storeCategories.licenseId, licenseId)))
    if (actor) await recordAudit({ ...deps, db: tx }, licenseId, actor, 'category.delete', categoryId)
  })
}

/** The category if it belongs to the license, share-locked for the caller's transaction. */
export async function lockOwnCategory(deps: Deps, licenseId: string, categoryId: string): Promise<boolean> {
  const [row] = await deps.db.select({ id: storeCategories.id }).from(storeCategories)
    .where(and(eq(storeCategories.id, categoryId), eq(storeCategories.licenseId, licenseId)))
    .for('share')
  return row !== undefined
}

export function presentCategory(row: StoreCategoryRow): StoreCategory {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    sort_order: row.sortOrder,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  }
}
