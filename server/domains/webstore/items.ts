import { and, asc, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { storeItems, storeTransactions, type StoreItemRow } from '../../db/schema'
import type { StoreItem } from '../../../shared/contracts/webstore'
import { InvalidInput, NotFound } from '../../platform/errors'
import { uuidSchema } from '../../platform/validation'
import { lockOwnCategory } from './categories'
import { booleanField, intField, lineText, longText } from './fields'
import { commandProblem } from '../../../shared/rules/placeholders'

export const MAX_PRICE_CENTS = 1_000_000
export const MAX_COMMANDS = 20

const commandSchema = z.object({
  command: z.string({ error: i => (i.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'is required')
    .max(500, 'must be at most 500 characters')
    .superRefine((value, ctx) => {
      const problem = commandProblem(value)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  require_online: booleanField.default(false),
}, { error: 'must be an object { command, require_online }' })

const imageUrlSchema = z.string({ error: 'must be an https URL or null' }).trim().max(2048, 'must be at most 2048 characters')
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'https:' && url.hostname !== '' && !/\s/.test(value)
    }
    catch {
      return false
    }
  }, 'must be an https URL or null')

/** POST an Item without `id`; PUT replaces the whole Item with the same shape. */
export const itemInputSchema = z.object({
  category_id: z.string({ error: i => (i.input === undefined ? 'is required' : 'must be a UUID') }).pipe(uuidSchema),
  name: lineText(1, 80),
  description: longText(5000).default(''),
  price_cents: intField(1, MAX_PRICE_CENTS),
  image_url: imageUrlSchema.nullable().default(null),
  commands: z.array(commandSchema, { error: i => (i.input === undefined ? 'is required' : 'must be a list of commands') })
    .min(1, 'needs at least one command')
    .max(MAX_COMMANDS, `may hold at most ${MAX_COMMANDS} commands`),
  purchase_limit: intField(1, 1_000_000).nullable().default(null),
  stock: intField(0, 1_000_000_000).nullable().default(null),
  enabled: booleanField.default(true),
  sort_order: intField().default(0),
})
export type ItemInput = z.output<typeof itemInputSchema>

export const itemListQuerySchema = z.object({
  // `?category_id=` (empty) means no filter, like leaving it out.
  category_id: z.preprocess(v => (v === '' ? undefined : v), uuidSchema.optional()),
})

const live = (licenseId: string) => and(eq(storeItems.licenseId, licenseId), isNull(storeItems.deletedAt))

export async function listItems(db: Db, licenseId: string, filter: { categoryId?: string } = {}): Promise<StoreItemRow[]> {
  return db.select().from(storeItems)
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
  }
}

async function assertOwnCategory(db: Db, licenseId: string, categoryId: string): Promise<void> {
  if (!(await lockOwnCategory(db, licenseId, categoryId))) {
    throw new InvalidInput([{ path: 'category_id', message: 'must be one of this store\'s categories' }])
  }
}

export async function createItem(db: Db, licenseId: string, input: ItemInput): Promise<StoreItemRow> {
  return db.transaction(async (tx) => {
    await assertOwnCategory(tx, licenseId, input.category_id)
    const [row] = await tx.insert(storeItems).values({ licenseId, ...columns(input) }).returning()
    if (!row) throw new Error('item insert returned nothing')
    return row
  })
}

export async function updateItem(db: Db, licenseId: string, itemId: string, input: ItemInput, now: Date): Promise<StoreItemRow> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: storeItems.id }).from(storeItems)
      .where(and(eq(storeItems.id, itemId), live(licenseId)))
      .for('update')
    if (!existing) throw new NotFound('Item')
    await assertOwnCategory(tx, licenseId, input.category_id)
    const [row] = await tx.update(storeItems).set({ ...columns(input), updatedAt: now })
      .where(and(eq(storeItems.id, itemId), live(licenseId)))
      .returning()
    if (!row) throw new NotFound('Item')
    return row
  })
}

/**
 * Removes an item. One that was ever ordered is only marked deleted (and disabled) so its
 * transactions keep pointing at it; the public store and the owner lists no longer show it.
 */
export async function deleteItem(db: Db, licenseId: string, itemId: string, now: Date): Promise<'deleted' | 'soft-deleted'> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: storeItems.id }).from(storeItems)
      .where(and(eq(storeItems.id, itemId), live(licenseId)))
      .for('update')
    if (!existing) throw new NotFound('Item')
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
    await tx.update(storeItems).set({ deletedAt: now, enabled: false, updatedAt: now })
      .where(and(eq(storeItems.id, itemId), eq(storeItems.licenseId, licenseId)))
    return 'soft-deleted'
  })
}

function isForeignKeyViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23503') return true
  }
  return false
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
  }
}
