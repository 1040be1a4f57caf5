import { z } from 'zod'
import { PLAYER_NAME_MAX, PLAYER_NAME_MIN, PLAYER_NAME_RE } from '../rules/player'
import { UUID_RE } from '../rules/uuid'
import { CURRENCIES, STORE_WEBHOOK_OUTCOMES, TRANSACTION_STATUSES } from './enums'
import { integer, isoTime, uuidSchema } from './fields'
import { PURCHASE_QUANTITY_MAX } from './limits'

// The public store API (no auth, scoped by subdomain), shared by the server and the storefront pages.

// No length or pattern limits on route params: a subdomain or transaction id that cannot exist is
// "not found" (404, like any other unknown one), decided by the lookups, never a 400.
export const storeParamsSchema = z.object({
  subdomain: z.string().meta({ description: 'The store\'s subdomain (case-insensitive). Unknown, not enabled, license not active or subscription not ACTIVE → 404' }),
})
export const storeTransactionParamsSchema = storeParamsSchema.extend({
  id: z.string().meta({ description: 'The transaction_id from the purchase; anything else (or another store\'s) → 404' }),
})

export const publicItemsQuerySchema = z.object({
  category_id: uuidSchema.optional().meta({ description: 'Only this category\'s items; must be a UUID (an empty value is 400)' }),
})

const currency = z.enum(CURRENCIES)

const publicCategorySchema = z.strictObject({ id: z.uuid(), name: z.string(), description: z.string(), sort_order: integer })

const widgetsSchema = z.strictObject({
  goal: z.strictObject({ goal_cents: integer, progress_cents: integer.meta({ description: 'Paid revenue of the current UTC month' }) }).nullable(),
  recent_purchases: z.array(z.strictObject({ player_name: z.string(), item_name: z.string(), at: isoTime })).nullable()
    .meta({ description: 'The latest paid purchases (at most 5), when the owner shows them' }),
})

export const publicStoreSchema = z.strictObject({
  store: z.strictObject({ name: z.string(), description: z.string(), currency, subdomain: z.string() }),
  categories: z.array(publicCategorySchema),
  widgets: widgetsSchema,
}).meta({ title: 'PublicStore' })
export type PublicStoreView = z.output<typeof publicStoreSchema>
export type PublicStore = PublicStoreView

export const publicItemSchema = z.strictObject({
  id: z.uuid(),
  category_id: z.uuid().nullable(),
  name: z.string(),
  description: z.string(),
  price_cents: integer.meta({ description: 'The price now: the sale price while a sale runs' }),
  regular_price_cents: integer,
  sale: z.strictObject({ name: z.string(), percent: integer, ends_at: isoTime }).nullable(),
  currency,
  image_url: z.string().nullable(),
  purchase_limit: integer.nullable(),
  stock: integer.nullable().meta({ description: 'Units left (reservations of pending purchases already taken off); null = unlimited' }),
  in_stock: z.boolean(),
}).meta({ title: 'PublicItem' })
export type PublicItem = z.output<typeof publicItemSchema>

export const publicItemListSchema = z.strictObject({ items: z.array(publicItemSchema) })

const PLAYER_NAME_MESSAGE = `must be ${PLAYER_NAME_MIN}-${PLAYER_NAME_MAX} characters: letters, digits and underscore only`
const quantityMessage = `must be a whole number from 1 to ${PURCHASE_QUANTITY_MAX}`

export const purchaseInputSchema = z.object({
  item_id: z.string({ error: 'is required' }).regex(UUID_RE, 'must be a UUID').transform(s => s.toLowerCase()),
  player_name: z.string({ error: 'is required' }).regex(PLAYER_NAME_RE, PLAYER_NAME_MESSAGE),
  player_uuid: z.string().regex(UUID_RE, 'must be a canonical UUID (8-4-4-4-12 hex digits)').transform(s => s.toLowerCase()).nullable().optional(),
  quantity: z.number({ error: quantityMessage }).int(quantityMessage).min(1, 'must be at least 1').max(PURCHASE_QUANTITY_MAX, `must be at most ${PURCHASE_QUANTITY_MAX}`).default(1),
})
export type PurchaseInput = z.output<typeof purchaseInputSchema>

export const purchaseResultSchema = z.strictObject({
  transaction_id: z.uuid(),
  status: z.literal('pending'),
  approval_url: z.string(),
  amount_cents: integer,
  currency,
})
export type PurchaseResult = z.output<typeof purchaseResultSchema>

export const publicTransactionSchema = z.strictObject({
  transaction_id: z.uuid(),
  status: z.enum(TRANSACTION_STATUSES),
  item_name: z.string(),
  player_name: z.string(),
  quantity: integer,
  amount_cents: integer,
  currency,
}).meta({ title: 'PublicTransaction' })
export type PublicTransaction = z.output<typeof publicTransactionSchema>

export const captureResultSchema = z.strictObject({ transaction_id: z.uuid(), status: z.enum(TRANSACTION_STATUSES) })
export type CaptureResult = z.output<typeof captureResultSchema>

export const storeWebhookResultSchema = z.strictObject({ received: z.literal(true), outcome: z.enum(STORE_WEBHOOK_OUTCOMES) })
