import { z } from 'zod'
import { isCairnImageUrl } from '../rules/images'
import { commandProblem } from '../rules/placeholders'
import { CURRENCIES, EXPORT_FORMATS, PAYPAL_MODES, TRANSACTION_SOURCES, TRANSACTION_STATUSES } from './enums'
import { booleanField, integer, intField, isoTime, lineText, longText, timestamps, uuidSchema } from './fields'
import {
  CATEGORY_DESCRIPTION_MAX_LENGTH, CATEGORY_NAME_MAX_LENGTH, COMMAND_MAX_LENGTH, DISCORD_WEBHOOK_URL_MAX_LENGTH, DURATION_DAYS_MAX, IMAGE_URL_MAX_LENGTH,
  ITEM_DESCRIPTION_MAX_LENGTH, ITEM_NAME_MAX_LENGTH, MAX_COMMANDS, MAX_PRICE_CENTS,
  PAYPAL_CLIENT_ID_MAX_LENGTH, PAYPAL_CLIENT_SECRET_MAX_LENGTH, PAYPAL_WEBHOOK_ID_MAX_LENGTH, PLAYER_FILTER_MAX_LENGTH,
  MAX_GOAL_CENTS, MONTHLY_GOAL_MIN_CENTS, PURCHASE_LIMIT_MAX, STOCK_MAX, STORE_DESCRIPTION_MAX_LENGTH, STORE_NAME_MAX_LENGTH,
} from './limits'
import { pageQueryFields } from './pagination'

// The owner's webstore API (config, categories, items, transactions), shared by the server
// presenters, the OpenAPI document and the panel.

// Store configuration.

/**
 * PUT /api/webstore/config. A field left out keeps its stored value (or the default for a new
 * store); `paypal_client_secret: null` or `""` clears the secret, leaving it out keeps it.
 */
export const storeConfigInputSchema = z.object({
  name: lineText(0, STORE_NAME_MAX_LENGTH).optional(),
  description: longText(STORE_DESCRIPTION_MAX_LENGTH).optional(),
  currency: z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(', ')}` }).optional(),
  paypal_client_id: lineText(0, PAYPAL_CLIENT_ID_MAX_LENGTH).optional(),
  paypal_client_secret: lineText(0, PAYPAL_CLIENT_SECRET_MAX_LENGTH).nullable().optional(),
  /** `demo` only on the seeded demo store outside production (checked by the server). */
  paypal_mode: z.enum(PAYPAL_MODES, { error: `must be "sandbox" or "live"` }).optional(),
  paypal_webhook_id: lineText(0, PAYPAL_WEBHOOK_ID_MAX_LENGTH).nullable().optional(),
  enabled: booleanField.optional(),
  /** The storefront's goal bar (this month's revenue against it); null removes it. */
  monthly_goal_cents: intField(MONTHLY_GOAL_MIN_CENTS, MAX_GOAL_CENTS).nullable().optional(),
  show_recent_purchases: booleanField.optional(),
  /** Checked against Discord's webhook hosts on the server (DISCORD_API_BASE may replace them in tests). */
  discord_webhook_url: lineText(0, DISCORD_WEBHOOK_URL_MAX_LENGTH).nullable().optional(),
})
export type StoreConfigInputParsed = z.output<typeof storeConfigInputSchema>
/** What the panel sends (the full form). */
export type StoreConfigInput = Omit<z.input<typeof storeConfigInputSchema>, 'name' | 'currency' | 'paypal_mode' | 'enabled'>
  & Required<Pick<z.input<typeof storeConfigInputSchema>, 'name' | 'currency' | 'paypal_mode' | 'enabled'>>

/** Where players find the store: its subdomain and the storefront's URL. */
const storeAddress = { subdomain: z.string(), store_url: z.string() }

/** The PayPal secret is never sent, only whether one is stored. */
export const storeConfigSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  currency: z.enum(CURRENCIES),
  paypal_client_id: z.string(),
  paypal_secret_set: z.boolean().meta({ description: 'Whether a PayPal client secret is stored; the secret itself is never returned' }),
  paypal_mode: z.enum(PAYPAL_MODES),
  paypal_webhook_id: z.string().nullable(),
  enabled: z.boolean(),
  monthly_goal_cents: integer.nullable().meta({ description: 'The storefront goal bar\'s monthly target; null = no goal widget' }),
  show_recent_purchases: z.boolean().meta({ description: 'Whether the storefront lists the latest purchases' }),
  discord_webhook_url: z.string().nullable().meta({ description: 'Where paid purchases are announced (a Discord webhook), or null' }),
  ...storeAddress,
  updated_at: isoTime,
}).meta({ title: 'StoreConfig' })
export type StoreConfig = z.output<typeof storeConfigSchema>

export const storeConfigResponseSchema = z.strictObject({ config: storeConfigSchema })
export const maybeStoreConfigResponseSchema = z.strictObject({ config: storeConfigSchema.nullable() })

// Categories.

export const categoryInputSchema = z.object({
  name: lineText(1, CATEGORY_NAME_MAX_LENGTH),
  description: longText(CATEGORY_DESCRIPTION_MAX_LENGTH).default(''),
  sort_order: intField().default(0),
})
export type CategoryInput = z.output<typeof categoryInputSchema>

export const categorySchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  sort_order: integer,
  ...timestamps,
}).meta({ title: 'Category' })
export type StoreCategory = z.output<typeof categorySchema>

export const categoryResponseSchema = z.strictObject({ category: categorySchema })
export const categoryListResponseSchema = z.strictObject({ categories: z.array(categorySchema) })

/** A route's `:id` (category, item, transaction): anything that is not a UUID answers 404 like an unknown id. */
export const resourceIdParamsSchema = z.object({
  id: z.uuid().meta({ description: 'The resource id; anything that is not a UUID answers 404 like an unknown id' }),
})

// Items.

const commandInputSchema = z.object({
  command: z.string({ error: i => (i.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'is required')
    .max(COMMAND_MAX_LENGTH, `must be at most ${COMMAND_MAX_LENGTH} characters`)
    .superRefine((value, ctx) => {
      const problem = commandProblem(value)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  require_online: booleanField.default(false),
}, { error: 'must be an object { command, require_online }' })

const imageUrlSchema = z.string({ error: 'must be an https URL or null' }).trim().max(IMAGE_URL_MAX_LENGTH, `must be at most ${IMAGE_URL_MAX_LENGTH} characters`)
  .refine((value) => {
    try {
      const url = new URL(value)
      // Cairn's own uploaded-image URL may be http (a local PUBLIC_URL); the item routes decide if it may stay.
      return (url.protocol === 'https:' || isCairnImageUrl(value)) && url.hostname !== '' && !/\s/.test(value)
    }
    catch {
      return false
    }
  }, 'must be an https URL or null')

/** POST an Item without `id`; PUT replaces the whole Item with the same shape. */
export const itemInputSchema = z.object({
  category_id: z.string({ error: i => (i.input === undefined ? 'is required' : 'must be a UUID') }).pipe(uuidSchema),
  name: lineText(1, ITEM_NAME_MAX_LENGTH),
  description: longText(ITEM_DESCRIPTION_MAX_LENGTH).default(''),
  price_cents: intField(1, MAX_PRICE_CENTS),
  image_url: imageUrlSchema.nullable().default(null),
  commands: z.array(commandInputSchema, { error: i => (i.input === undefined ? 'is required' : 'must be a list of commands') })
    .min(1, 'needs at least one command')
    .max(MAX_COMMANDS, `may hold at most ${MAX_COMMANDS} commands`),
  purchase_limit: intField(1, PURCHASE_LIMIT_MAX).nullable().default(null),
  stock: intField(0, STOCK_MAX).nullable().default(null),
  enabled: booleanField.default(true),
  sort_order: intField().default(0),
  /** Omitted: `[]` on create, the stored list on update. */
  revoke_commands: z.array(commandInputSchema, { error: 'must be a list of commands' })
    .max(MAX_COMMANDS, `may hold at most ${MAX_COMMANDS} commands`)
    .optional(),
  /** Omitted: null (permanent) on create, the stored value on update. */
  duration_days: intField(1, DURATION_DAYS_MAX).nullable().optional(),
})
export type ItemInput = z.output<typeof itemInputSchema>

export const itemListQuerySchema = z.object({
  // `?category_id=` (empty) means no filter, like leaving it out.
  category_id: z.preprocess(v => (v === '' ? undefined : v), uuidSchema.optional()),
})

const commandSchema = z.strictObject({ command: z.string(), require_online: z.boolean() })
export type StoreCommandView = z.output<typeof commandSchema>

/** A command row while it is edited in the panel (`key` keeps rows stable when reordered). */
export interface CommandDraft extends StoreCommandView {
  key: number
}

export const itemSchema = z.strictObject({
  id: z.uuid(),
  category_id: z.uuid(),
  name: z.string(),
  description: z.string(),
  price_cents: integer,
  image_url: z.string().nullable(),
  commands: z.array(commandSchema),
  purchase_limit: integer.nullable(),
  stock: integer.nullable(),
  enabled: z.boolean(),
  sort_order: integer,
  revoke_commands: z.array(commandSchema).meta({ description: 'Run when the purchase is refunded, reversed or reaches the end of its duration' }),
  duration_days: integer.nullable().meta({ description: 'Days a purchase lasts (then the revoke commands run); null = permanent' }),
}).meta({ title: 'Item' })
export type StoreItem = z.output<typeof itemSchema>
export type StoreItemInput = Omit<StoreItem, 'id'>

export const itemResponseSchema = z.strictObject({ item: itemSchema })
export const itemListResponseSchema = z.strictObject({ items: z.array(itemSchema) })

// Transactions.

export const transactionQuerySchema = z.object({
  status: z.enum(TRANSACTION_STATUSES, { error: `must be one of ${TRANSACTION_STATUSES.join(', ')}` }).optional(),
  player: z.string({ error: 'must be given once' }).trim().max(PLAYER_FILTER_MAX_LENGTH, `must be at most ${PLAYER_FILTER_MAX_LENGTH} characters`)
    .refine(v => !v.includes('\u0000'), 'must not contain NUL characters')
    .optional(),
  ...pageQueryFields,
  format: z.enum(EXPORT_FORMATS, { error: 'must be "json" or "csv"' }).optional(),
})

const transactionLineSchema = z.strictObject({
  item_id: z.uuid(),
  name: z.string().meta({ description: 'The item\'s name at checkout' }),
  quantity: integer,
  unit_price_cents: integer.meta({ description: 'Price per unit charged (the sale price at checkout, if a sale ran)' }),
  regular_price_cents: integer.meta({ description: 'The item\'s own price per unit at checkout' }),
  line_cents: integer.meta({ description: 'unit_price_cents × quantity' }),
  discount_cents: integer.meta({ description: 'This line\'s share of the coupon discount' }),
}).meta({ title: 'TransactionLine' })
export type StoreTransactionLine = z.output<typeof transactionLineSchema>

export const transactionSchema = z.strictObject({
  id: z.uuid(),
  item_id: z.uuid().meta({ description: 'The first line\'s item (every line is in `lines`)' }),
  item_name: z.string().meta({ description: 'The first line\'s item name' }),
  player_name: z.string(),
  player_uuid: z.uuid().nullable(),
  quantity: integer.meta({ description: 'The first line\'s quantity' }),
  lines: z.array(transactionLineSchema),
  subtotal_cents: integer,
  discount_cents: integer,
  coupon_code: z.string().nullable(),
  amount_cents: integer.meta({ description: 'What the buyer paid: subtotal_cents − discount_cents' }),
  currency: z.enum(CURRENCIES),
  status: z.enum(TRANSACTION_STATUSES),
  paypal_order_id: z.string().nullable(),
  created_at: isoTime,
  paid_at: isoTime.nullable(),
  delivered_at: isoTime.nullable(),
  source: z.enum(TRANSACTION_SOURCES),
  refunded_at: isoTime.nullable(),
  ends_at: isoTime.nullable().meta({ description: 'When a timed purchase ends (null = permanent)' }),
  ended_at: isoTime.nullable().meta({ description: 'When its revoke commands were queued at the end of its duration' }),
}).meta({ title: 'Transaction' })
export type StoreTransaction = z.output<typeof transactionSchema>

export const transactionPageSchema = z.strictObject({ transactions: z.array(transactionSchema), next_cursor: z.string().nullable() })
export type TransactionPage = z.output<typeof transactionPageSchema>

export const TRANSACTION_CSV_HEADER = [
  'id', 'created_at', 'item_id', 'item_name', 'player_name', 'player_uuid', 'quantity',
  'amount_cents', 'currency', 'status', 'paypal_order_id', 'paid_at', 'delivered_at',
  'lines', 'subtotal_cents', 'discount_cents', 'coupon_code',
] as const
