import { and, asc, eq, isNull } from 'drizzle-orm'
import { storeImages, storeItems, storeTransactions, type StoreItemRow } from '../../db/schema'
import { isCairnImageUrl } from '../../../shared/rules/images'
import type { ItemInput, StoreItem } from '../../../shared/contracts/webstore'
import type { Deps } from '../../platform/deps'
import { InvalidInput, NotFound } from '../../platform/errors'
import { isForeignKeyViolation } from '../../platform/pg-errors'
import { lockOwnCategory } from './categories'
import { changedFields, recordAudit, type Actor } from '../operations/audit'

const live = (licenseId: string) => and(eq(storeItems.licenseId, licenseId), isNull(storeItems.deletedAt))

export async function listItems(deps: Deps, licenseId: string, filter: { categoryId?: string } = {}): Promise<StoreItemRow[]> {
  return deps.db.select().from(storeItems)
    .where(and(live(licenseId), filter.categoryId ? eq(storeItems.categoryId, filter.categoryId) : undefined))
    .orderBy(asc(storeItems.sortOrder), asc(storeItems.name), asc(storeItems.id))
}

function columns(input: ItemInput) {
  return {
    categoryId: input.category_id,
    name: input.name,
    description: input.description,
    priceCents: input.price_cents,
    imageUrl: input.image_url,
    commands: input.commands.map(c => ({ command: c.command, require_online: c.require_online })),
    purchaseLimit: input.purchase_limit,
    stock: input.stock,
    enabled: input.enabled,
    sortOrder: input.sort_order,
    // Omitted on update: keep the stored value (undefined leaves the column out of the SET).
    revokeCommands: input.revoke_commands?.map(c => ({ command: c.command, require_online: c.require_online })),
    durationDays: input.duration_days,
  }
}

async function assertOwnCategory(deps: Deps, licenseId: string, categoryId: string): Promise<void> {
  if (!(await lockOwnCategory(deps, licenseId, categoryId))) {
    throw new InvalidInput([{ path: 'category_id', message: 'must be one of this store\'s categories' }])
  }
}

/** An uploaded image's URL is set by the upload route only; another item's image cannot be borrowed. */
function assertNotUploadedUrl(url: string | null): void {
  if (url !== null && isCairnImageUrl(url)) {
    throw new InvalidInput([{ path: 'image_url', message: 'an uploaded image is set with POST /api/webstore/items/:id/image' }])
  }
}

export async function createItem(deps: Deps, licenseId: string, input: ItemInput, actor?: Actor): Promise<StoreItemRow> {
  return deps.db.transaction(async (tx) => {
    await assertOwnCategory({ ...deps, db: tx }, licenseId, input.category_id)
    assertNotUploadedUrl(input.image_url)
    const [row] = await tx.insert(storeItems).values({ licenseId, ...columns(input), revokeCommands: columns(input).revokeCommands ?? [], durationDays: input.duration_days ?? null }).returning()
    if (!row) throw new Error('item insert returned nothing')
    if (actor) await recordAudit({ ...deps, db: tx }, licenseId, actor, 'item.create', row.id, { name: row.name, price_cents: row.priceCents })
    return row
  })
}

export async function updateItem(deps: Deps, licenseId: string, itemId: string, input: ItemInput, actor?: Actor): Promise<StoreItemRow> {
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: storeItems.id, imageUrl: storeItems.imageUrl }).from(storeItems)
      .where(and(eq(storeItems.id, itemId), live(licenseId)))
      .for('update')
    if (!existing) throw new NotFound('Item')
    await assertOwnCategory({ ...deps, db: tx }, licenseId, input.category_id)
    const keepsImage = input.image_url === existing.imageUrl
    if (!keepsImage) {
      assertNotUploadedUrl(input.image_url)
      await tx.delete(storeImages).where(and(eq(storeImages.itemId, itemId), eq(storeImages.licenseId, licenseId)))
    }
    const [row] = await tx.update(storeItems).set({ ...columns(input), ...(keepsImage ? {} : { imageId: null }), updatedAt: deps.clock.now() })
      .where(and(eq(storeItems.id, itemId), live(licenseId)))
      .returning()
    if (!row) throw new NotFound('Item')
    if (actor) await recordAudit({ ...deps, db: tx }, licenseId, actor, 'item.update', row.id, changedFields(input))
    return row
  })
}

/**
 * Removes an item. One that was ever ordered is only marked deleted (and disabled) so its
 * transactions keep pointing at it; the public store and the owner lists no longer show it.
 */
export async function deleteItem(deps: Deps, licenseId: string, itemId: string, actor?: Actor): Promise<'deleted' | 'soft-deleted'> {
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: storeItems.id, name: storeItems.name }).from(storeItems)
      .where(and(eq(storeItems.id, itemId), live(licenseId)))
      .for('update')
    if (!existing) throw new NotFound('Item')
    if (actor) await recordAudit({ ...deps, db: tx }, licenseId, actor, 'item.delete', itemId, { name: existing.name })
    const [sold] = await tx.select({ id: storeTransactions.id }).from(storeTransactions)
      .where(and(eq(storeTransactions.itemId, itemId), eq(storeTransactions.licenseId, licenseId)))
      .limit(1)
    if (!sold) {
      try {
        // A purchase racing this delete makes the FK refuse; fall back to the soft delete.
        await tx.transaction(sp => sp.delete(storeItems).where(and(eq(storeItems.id, itemId), eq(storeItems.licenseId, licenseId))))
        return 'deleted'
      }
      catch (error) {
        if (!isForeignKeyViolation(error)) throw error
      }
    }
    const now = deps.clock.now()
    await tx.update(storeItems).set({ deletedAt: now, enabled: false, updatedAt: now })
      .where(and(eq(storeItems.id, itemId), eq(storeItems.licenseId, licenseId)))
    return 'soft-deleted'
  })
}

export function presentItem(row: StoreItemRow): StoreItem {
  return {
    id: row.id,
    // Live items always have a category; only soft-deleted ones can lose it.
    category_id: row.categoryId ?? '',
    name: row.name,
    description: row.description,
    price_cents: row.priceCents,
    image_url: row.imageUrl,
    commands: row.commands.map(c => ({ command: c.command, require_online: c.require_online })),
    purchase_limit: row.purchaseLimit,
    stock: row.stock,
    enabled: row.enabled,
    sort_order: row.sortOrder,
    revoke_commands: row.revokeCommands.map(c => ({ command: c.command, require_online: c.require_online })),
    duration_days: row.durationDays,
  }
}
