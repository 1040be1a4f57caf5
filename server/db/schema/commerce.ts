import { sql } from 'drizzle-orm'
import { boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, timestamps, tstz } from './columns'
import { licenses } from './core'
import { storeItems, storeTransactions } from './webstore'
import { COUPON_KINDS } from '../../../shared/contracts/enums'

// Storefront commerce: basket lines, coupons, sales and uploaded item images. Every table carries
// `license_id`, like the rest of the webstore: isolation is structural.

const bytea = customType<{ data: Buffer, driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: value => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
})

/**
 * One line of a checkout's basket, in basket order. Prices are snapshots taken at checkout
 * (`unit_price_cents` is the sale price then), so later edits never rewrite an order.
 */
export const storeTransactionLines = pgTable('store_transaction_lines', {
  id: id(),
  transactionId: uuid('transaction_id').notNull().references(() => storeTransactions.id, { onDelete: 'cascade' }),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  /** Items with transactions are soft-deleted, never removed (`no action` FK). */
  itemId: uuid('item_id').notNull().references(() => storeItems.id),
  itemName: text('item_name').notNull(),
  position: integer('position').notNull(),
  quantity: integer('quantity').notNull(),
  /** Price per unit charged at checkout (after a running sale). */
  unitPriceCents: integer('unit_price_cents').notNull(),
  /** The item's own price at checkout, before any sale. */
  regularUnitPriceCents: integer('regular_unit_price_cents').notNull(),
  /** unit_price_cents × quantity. */
  lineCents: integer('line_cents').notNull(),
  /** This line's share of the coupon discount (never more than line_cents). */
  discountCents: integer('discount_cents').notNull().default(0),
  /** Whether this pending line holds `quantity` units of the item's stock (given back on expiry). */
  stockReserved: boolean('stock_reserved').notNull().default(false),
}, t => [
  uniqueIndex('store_transaction_lines_position_key').on(t.transactionId, t.position),
  index('store_transaction_lines_item_idx').on(t.itemId),
  check('store_transaction_lines_quantity_range', sql`${t.quantity} between 1 and 64`),
  check('store_transaction_lines_discount_range', sql`${t.discountCents} between 0 and ${t.lineCents}`),
])

export const storeCoupons = pgTable('store_coupons', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  code: text('code').notNull(),
  kind: text('kind', { enum: COUPON_KINDS }).notNull(),
  /** Percent (1–100) or cents (≥ 1), by kind. */
  value: integer('value').notNull(),
  minSubtotalCents: integer('min_subtotal_cents'),
  startsAt: tstz('starts_at').notNull(),
  endsAt: tstz('ends_at'),
  /** null = unlimited. Uses are counted from transactions, under this row's lock. */
  maxUses: integer('max_uses'),
  maxUsesPerPlayer: integer('max_uses_per_player'),
  itemIds: jsonb('item_ids').$type<string[]>().notNull().default([]),
  categoryIds: jsonb('category_ids').$type<string[]>().notNull().default([]),
  enabled: boolean('enabled').notNull().default(true),
  ...timestamps,
}, t => [uniqueIndex('store_coupons_license_code_key').on(t.licenseId, sql`lower(${t.code})`)])

export const storeSales = pgTable('store_sales', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  percent: integer('percent').notNull(),
  startsAt: tstz('starts_at').notNull(),
  endsAt: tstz('ends_at').notNull(),
  itemIds: jsonb('item_ids').$type<string[]>().notNull().default([]),
  categoryIds: jsonb('category_ids').$type<string[]>().notNull().default([]),
  ...timestamps,
}, t => [index('store_sales_license_window_idx').on(t.licenseId, t.endsAt)])

/**
 * Re-encoded item images, one row per responsive width, in the database so every replica serves
 * them. An upload gets a new `image_id`, so its URLs never change meaning (immutable caching).
 */
export const storeImages = pgTable('store_images', {
  imageId: uuid('image_id').notNull(),
  width: integer('width').notNull(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  itemId: uuid('item_id').notNull().references(() => storeItems.id, { onDelete: 'cascade' }),
  contentType: text('content_type').notNull(),
  height: integer('height').notNull(),
  data: bytea('data').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, t => [
  primaryKey({ columns: [t.imageId, t.width] }),
  index('store_images_item_idx').on(t.itemId),
])

export type StoreTransactionLineRow = typeof storeTransactionLines.$inferSelect
export type StoreCouponRow = typeof storeCoupons.$inferSelect
export type StoreSaleRow = typeof storeSales.$inferSelect
export type StoreImageRow = typeof storeImages.$inferSelect
