import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, timestamps, tstz } from './columns'
import { licenses } from './core'
import { CURRENCIES, PAYPAL_MODES, SUBSCRIPTION_STATUSES, TRANSACTION_SOURCES, TRANSACTION_STATUSES } from '../../../shared/contracts/enums'
import type { StoreCommandView } from '../../../shared/contracts/webstore'

// The owner side of a license's webstore: configuration, catalog, orders and the platform
// subscription that unlocks it. Every table carries `license_id`: isolation is structural.

/** One command run by the companion agent after a purchase; placeholders are filled at delivery. */
export type StoreCommand = StoreCommandView

export const storeConfig = pgTable('store_config', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  currency: text('currency', { enum: CURRENCIES }).notNull().default('USD'),
  paypalClientId: text('paypal_client_id').notNull().default(''),
  /** AES-256-GCM sealed (`seal()` with AAD bound to the license); null = not set. Never returned. */
  paypalClientSecretSealed: text('paypal_client_secret_sealed'),
  paypalMode: text('paypal_mode', { enum: PAYPAL_MODES }).notNull().default('sandbox'),
  paypalWebhookId: text('paypal_webhook_id'),
  enabled: boolean('enabled').notNull().default(false),
  /** The storefront's goal bar: this month's paid revenue against this; null = no goal widget. */
  monthlyGoalCents: integer('monthly_goal_cents'),
  showRecentPurchases: boolean('show_recent_purchases').notNull().default(false),
  /** A Discord execute-webhook URL (checked against Discord's hosts); null = no announcements. Never logged. */
  discordWebhookUrl: text('discord_webhook_url'),
  /** Set only by the embedded demo seed: the one store allowed `paypal_mode: "demo"` (never in production). */
  demoStore: boolean('demo_store').notNull().default(false),
  ...timestamps,
}, t => [uniqueIndex('store_config_license_key').on(t.licenseId)])

export const storeCategories = pgTable('store_categories', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  sortOrder: integer('sort_order').notNull().default(0),
  ...timestamps,
}, t => [index('store_categories_license_idx').on(t.licenseId, t.sortOrder)])

export const storeItems = pgTable('store_items', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  /**
   * Never null for a live item: the service answers 409 when a category still has live items.
   * Soft-deleted items (kept for their transactions) lose their category when it is deleted.
   */
  categoryId: uuid('category_id').references(() => storeCategories.id, { onDelete: 'set null' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  priceCents: integer('price_cents').notNull(),
  imageUrl: text('image_url'),
  /** The uploaded image (store_images) behind `image_url`; null when none or an external URL. */
  imageId: uuid('image_id'),
  /** Ordered list of `{ command, require_online }`, 1–20 entries. */
  commands: jsonb('commands').$type<StoreCommand[]>().notNull(),
  /** Run when a purchase is refunded, reversed or reaches its end; 0–20 entries. */
  revokeCommands: jsonb('revoke_commands').$type<StoreCommand[]>().notNull().default([]),
  /** Days a purchase lasts; null = permanent. */
  durationDays: integer('duration_days'),
  /** Per player; null = unlimited. */
  purchaseLimit: integer('purchase_limit'),
  /** Units left; null = unlimited. Reserved at purchase, given back when a pending order expires. */
  stock: integer('stock'),
  enabled: boolean('enabled').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  /** Set instead of deleting once the item has transactions, so order history keeps its item. */
  deletedAt: tstz('deleted_at'),
  ...timestamps,
}, t => [
  index('store_items_license_idx').on(t.licenseId, t.sortOrder).where(sql`${t.deletedAt} is null`),
  index('store_items_category_idx').on(t.categoryId),
  check('store_items_price_range', sql`${t.priceCents} between 1 and 1000000`),
  check('store_items_stock_nonneg', sql`${t.stock} is null or ${t.stock} >= 0`),
  check('store_items_purchase_limit_pos', sql`${t.purchaseLimit} is null or ${t.purchaseLimit} >= 1`),
  check('store_items_duration_range', sql`${t.durationDays} is null or ${t.durationDays} between 1 and 3650`),
])

export const storeTransactions = pgTable('store_transactions', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  /**
   * The basket's first line (store_transaction_lines holds every line); kept so one-item clients
   * and queries keep working. Items with transactions are soft-deleted, never removed.
   */
  itemId: uuid('item_id').notNull().references(() => storeItems.id),
  /** Snapshot at purchase time: renaming or deleting the item never rewrites history. */
  itemName: text('item_name').notNull(),
  playerName: text('player_name').notNull(),
  playerUuid: uuid('player_uuid'),
  quantity: integer('quantity').notNull().default(1),
  /** Unit price snapshot; `amount_cents` = unit × quantity, computed from the database at purchase. */
  unitPriceCents: integer('unit_price_cents').notNull(),
  amountCents: integer('amount_cents').notNull(),
  /** Sum of the lines at their checkout price; amount_cents = subtotal_cents − discount_cents. */
  subtotalCents: integer('subtotal_cents').notNull().default(0),
  discountCents: integer('discount_cents').notNull().default(0),
  /** The coupon as typed at checkout (snapshot), and the coupon row while it exists. */
  couponCode: text('coupon_code'),
  couponId: uuid('coupon_id'),
  currency: text('currency', { enum: CURRENCIES }).notNull(),
  status: text('status', { enum: TRANSACTION_STATUSES }).notNull().default('pending'),
  /** Store mode at purchase time: captures and webhooks must talk to the same PayPal environment. */
  paypalMode: text('paypal_mode', { enum: PAYPAL_MODES }).notNull().default('sandbox'),
  paypalOrderId: text('paypal_order_id'),
  paypalCaptureId: text('paypal_capture_id'),
  approvalUrl: text('approval_url'),
  /** Whether this pending order holds `quantity` units of the item's stock (given back on expiry). */
  stockReserved: boolean('stock_reserved').notNull().default(false),
  failureReason: text('failure_reason'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
  /** A pending order is expired after this instant (30 minutes after purchase). */
  expiresAt: tstz('expires_at'),
  paidAt: tstz('paid_at'),
  deliveredAt: tstz('delivered_at'),
  /** A player's checkout, or an owner's free grant (amount 0, never revenue). */
  source: text('source', { enum: TRANSACTION_SOURCES }).notNull().default('purchase'),
  refundedAt: tstz('refunded_at'),
  /** paid_at + the longest duration of its items; null = permanent. */
  endsAt: tstz('ends_at'),
  /** When the end-of-duration revoke commands were queued (at most once). */
  endedAt: tstz('ended_at'),
  /** For grants: who granted it and why. */
  grantedBy: uuid('granted_by'),
  grantNote: text('grant_note'),
}, t => [
  // Owner listing: newest first per license, keyset cursor on (created_at, id).
  index('store_transactions_license_created_idx').on(t.licenseId, t.createdAt.desc(), t.id.desc()),
  index('store_transactions_license_status_idx').on(t.licenseId, t.status, t.createdAt.desc()),
  // purchase_limit: a player's quantities of one item, compared case-insensitively.
  index('store_transactions_item_player_idx').on(t.itemId, sql`lower(${t.playerName})`),
  // Basket limits: a player's open and paid transactions per store (lines hold the items).
  index('store_transactions_license_player_idx').on(t.licenseId, sql`lower(${t.playerName})`),
  // Coupon uses: counted per coupon under the coupon row's lock.
  index('store_transactions_coupon_idx').on(t.couponId).where(sql`${t.couponId} is not null`),
  uniqueIndex('store_transactions_paypal_order_key').on(t.paypalOrderId),
  // Expiry sweep over pending orders only.
  index('store_transactions_pending_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'pending'`),
  // The timed-purchase sweep: paid orders with an end not reached yet.
  index('store_transactions_ends_idx').on(t.endsAt).where(sql`${t.endsAt} is not null and ${t.endedAt} is null`),
  // Stats: revenue by day.
  index('store_transactions_license_paid_idx').on(t.licenseId, t.paidAt).where(sql`${t.paidAt} is not null`),
  check('store_transactions_quantity_range', sql`${t.quantity} between 1 and 64`),
  // 0 is a checkout paid entirely by a 100 % coupon.
  check('store_transactions_amount_nonneg', sql`${t.amountCents} >= 0`),
])

export const webstoreSubscriptions = pgTable('webstore_subscriptions', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull().default('APPROVAL_PENDING'),
  paypalSubscriptionId: text('paypal_subscription_id'),
  planId: text('plan_id'),
  currentPeriodEnd: tstz('current_period_end'),
  cancelledAt: tstz('cancelled_at'),
  ...timestamps,
}, t => [
  index('webstore_subscriptions_license_idx').on(t.licenseId, t.createdAt.desc()),
  uniqueIndex('webstore_subscriptions_paypal_key').on(t.paypalSubscriptionId),
  // At most one ACTIVE subscription per license.
  uniqueIndex('webstore_subscriptions_one_active').on(t.licenseId).where(sql`${t.status} = 'ACTIVE'`),
])

export type StoreConfigRow = typeof storeConfig.$inferSelect
export type StoreCategoryRow = typeof storeCategories.$inferSelect
export type StoreItemRow = typeof storeItems.$inferSelect
export type StoreTransactionRow = typeof storeTransactions.$inferSelect
export type WebstoreSubscriptionRow = typeof webstoreSubscriptions.$inferSelect
