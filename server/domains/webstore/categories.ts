import { and, asc, count, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { storeCategories, storeItems, type StoreCategoryRow } from '../../db/schema'
import type { StoreCategory } from '../../../shared/contracts/webstore'
import { Conflict, NotFound } from '../../platform/errors'
import { intField, lineText, longText } from './fields'

export const categoryInputSchema = z.object({
  name: lineText(1, 64),
  description: longText(500).default(''),
  sort_order: intField().default(0),
})
export type CategoryInput = z.output<typeof categoryInputSchema>

export async function listCategories(db: Db, licenseId: string): Promise<StoreCategoryRow[]> {
  return db.select().from(storeCategories)
    .where(eq(storeCategories.licenseId, licenseId))
    .orderBy(asc(storeCategories.sortOrder), asc(storeCategories.name), asc(storeCategories.id))
}

export async function createCategory(db: Db, licenseId: string, input: CategoryInput): Promise<StoreCategoryRow> {
  const [row] = await db.insert(storeCategories).values({
    licenseId,
    name: input.name,
    description: input.description,
    sortOrder: input.sort_order,
  }).returning()
  if (!row) throw new Error('category insert returned nothing')
  return row
}

/** One query authorizes and updates: another license's category is simply not found. */
export async function updateCategory(db: Db, licenseId: string, categoryId: string, input: CategoryInput, now: Date): Promise<StoreCategoryRow> {
  const [row] = await db.update(storeCategories)
    .set({ name: input.name, description: input.description, sortOrder: input.sort_order, updatedAt: now })
    .where(and(eq(storeCategories.id, categoryId), eq(storeCategories.licenseId, licenseId)))
    .returning()
  if (!row) throw new NotFound('Category')
  return row
}

/**
 * Deletes a category that no live item uses (409 otherwise). The row lock pairs with the share
 * lock item writes take, so an item cannot be filed under the category while it is deleted.
 */
export async function deleteCategory(db: Db, licenseId: string, categoryId: string): Promise<void> {
  await db.transaction(async (tx) => {
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
  })
}

/** The category if it belongs to the license, share-locked for the caller's transaction. */
export async function lockOwnCategory(db: Db, licenseId: string, categoryId: string): Promise<boolean> {
  const [row] = await db.select({ id: storeCategories.id }).from(storeCategories)
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
