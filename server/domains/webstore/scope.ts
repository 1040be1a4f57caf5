import { and, eq, inArray, isNull } from 'drizzle-orm'
import { storeCategories, storeItems } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { InvalidInput, type Issue } from '../../platform/errors'

// A coupon's or sale's item_ids / category_ids must name this store's own items and categories:
// another store's id is refused like one that does not exist.

export async function assertOwnScope(deps: Deps, licenseId: string, scope: { item_ids: string[], category_ids: string[] }): Promise<void> {
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
