import { z } from 'zod'
import { STORE_CURRENCIES, TRANSACTION_STATUSES } from '../../db/schema'
import type { OperationSpec, ParameterSpec, ResponseSpec } from './registry'
import { uuidSchema } from '../../platform/validation'
import { storeParams, storeTransactionParams, webhookBody } from '../store-host'
import { purchaseInputSchema } from '../../domains/storefront/purchase'

// The public store API in the OpenAPI document (no auth). Request schemas are the ones the routes
// validate with; responses follow getPublicStore / presentPublicItem / createPurchase /
// presentPublicTransaction / captureTransaction / handleStoreWebhook.

const subdomainParam: ParameterSpec = {
  name: 'subdomain',
  in: 'path',
  schema: storeParams.shape.subdomain,
  description: 'The store\'s subdomain (case-insensitive). Unknown, not enabled, license not active or subscription not ACTIVE → 404',
}
const transactionParam: ParameterSpec = {
  name: 'id',
  in: 'path',
  schema: storeTransactionParams.shape.id,
  description: 'The transaction_id from the purchase; anything else (or another store\'s) → 404',
}

const currency = z.enum(STORE_CURRENCIES)
const status = z.enum(TRANSACTION_STATUSES)

const publicStoreSchema = z.object({
  store: z.object({ name: z.string(), description: z.string(), currency, subdomain: z.string() }),
  categories: z.array(z.object({ id: z.uuid(), name: z.string(), description: z.string(), sort_order: z.number().int() })),
}).meta({ title: 'PublicStore' })

const publicItemSchema = z.object({
  id: z.uuid(),
  category_id: z.uuid().nullable(),
  name: z.string(),
  description: z.string(),
  price_cents: z.number().int(),
  currency,
  image_url: z.string().nullable(),
  purchase_limit: z.number().int().nullable(),
  stock: z.number().int().nullable().meta({ description: 'Units left (reservations of pending purchases already taken off); null = unlimited' }),
  in_stock: z.boolean(),
}).meta({ title: 'PublicItem' })

const publicTransactionSchema = z.object({
  transaction_id: z.uuid(),
  status,
  item_name: z.string(),
  player_name: z.string(),
  quantity: z.number().int(),
  amount_cents: z.number().int(),
  currency,
}).meta({ title: 'PublicTransaction' })

const storeClosed = 'No such open store (or, for transactions, no such transaction in it)'
const unavailable: ResponseSpec = { description: 'The store has no usable PayPal credentials, or PayPal is unreachable; nothing was charged' }
const tags = ['Public store']
const parameters = [subdomainParam]

export const storeOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/api/public-store/{subdomain}',
    operationId: 'getPublicStore',
    summary: 'The open store and its categories',
    tags,
    parameters,
    responses: { 200: { description: 'The store', schema: publicStoreSchema }, 404: { description: storeClosed } },
  },
  {
    method: 'get',
    path: '/api/public-store/{subdomain}/items',
    operationId: 'listPublicItems',
    summary: 'Enabled items (never their commands)',
    tags,
    parameters: [subdomainParam, { name: 'category_id', in: 'query', schema: uuidSchema, description: 'Only this category\'s items; must be a UUID (an empty value is 400)' }],
    responses: { 200: { description: 'The items, by sort_order then name', schema: z.object({ items: z.array(publicItemSchema) }) }, 404: { description: storeClosed } },
  },
  {
    method: 'post',
    path: '/api/public-store/{subdomain}/purchase',
    operationId: 'purchase',
    summary: 'Reserve an item for a player and start a PayPal order',
    description: 'The amount is price_cents × quantity from the database. `player_uuid` is required when one of the item\'s commands uses {uuid}. `purchase_limit` counts the player\'s (case-insensitive) pending, paid and delivered quantity of the item; stock is reserved now, under a row lock, so concurrent purchases cannot oversell. The pending transaction expires after 30 minutes and gives its stock back. Send the player to `approval_url`; PayPal returns them to `<storefront>/return?tx=<transaction_id>`. Rate limited per client IP (burst 10, then one every 6 s).',
    tags,
    parameters,
    body: { schema: purchaseInputSchema, examples: { steve: { item_id: '0c9d5a8e-3f2b-4d71-8e6a-91b2c3d4e5f6', player_name: 'Steve', quantity: 1 } } },
    responses: {
      201: {
        description: 'Reserved; waiting for the buyer at PayPal',
        schema: z.object({ transaction_id: z.uuid(), status: z.literal('pending'), approval_url: z.string(), amount_cents: z.number().int(), currency }),
      },
      400: { description: 'Invalid player_name / player_uuid / quantity / item_id, or `player_uuid` missing for an item that needs it; nothing stored' },
      404: { description: 'No such open store, or no such enabled item in it' },
      409: { description: 'Purchase limit reached (`data.purchase_limit`, `data.already_purchased`) or out of stock (`data.stock`)' },
      429: { description: 'Too many purchases from this client IP', headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } },
      503: unavailable,
    },
  },
  {
    method: 'get',
    path: '/api/public-store/{subdomain}/transactions/{id}',
    operationId: 'getPublicTransaction',
    summary: 'A transaction\'s status (polled by the return page)',
    tags,
    parameters: [subdomainParam, transactionParam],
    responses: { 200: { description: 'The transaction', schema: publicTransactionSchema }, 404: { description: storeClosed } },
  },
  {
    method: 'post',
    path: '/api/public-store/{subdomain}/transactions/{id}/capture',
    operationId: 'capturePublicTransaction',
    summary: 'Capture the approved PayPal order (idempotent)',
    description: 'Call after PayPal sends the buyer back. Only a pending transaction is captured; any other answers its current status without calling PayPal. The outcome is read back from PayPal with the store\'s credentials. Not approved yet → still `pending`. Repeated or concurrent calls settle the transaction once (one delivery).',
    tags,
    parameters: [subdomainParam, transactionParam],
    responses: {
      200: { description: 'The status after the capture attempt', schema: z.object({ transaction_id: z.uuid(), status }) },
      404: { description: storeClosed },
      503: unavailable,
    },
  },
  {
    method: 'post',
    path: '/api/public-store/{subdomain}/webhook',
    operationId: 'storeWebhook',
    summary: 'PayPal webhook for the store owner\'s PayPal app (CHECKOUT.ORDER.*, PAYMENT.CAPTURE.*)',
    description: 'Served for any existing store, open or not. When the store has a `paypal_webhook_id` the signature is verified with PayPal first. The event is only a hint: the order is fetched back from PayPal with the store\'s credentials and acted on. Replayed event ids are no-ops (`duplicate`); events for orders that are not this store\'s, and other event types, answer 200 `ignored` and change nothing.',
    tags,
    parameters,
    body: { schema: webhookBody, description: 'PayPal\'s webhook event, with its paypal-transmission-* headers' },
    responses: {
      200: {
        description: 'Handled',
        schema: z.object({ received: z.literal(true), outcome: z.enum(['paid', 'failed', 'refunded', 'reversed', 'unchanged', 'duplicate', 'ignored']) }),
      },
      400: { description: 'Not a PayPal event, bad signature, the store has no PayPal credentials, or PayPal does not know the order for this store: nothing changed' },
      404: { description: 'No store at this subdomain' },
      503: { description: 'PayPal is unreachable (PayPal retries later)' },
    },
  },
]
