import { describeRate, PENDING_PURCHASE_TTL_MINUTES, PURCHASES_PER_IP } from '../../../shared/contracts/limits'
import {
  captureResultSchema, publicItemListSchema, publicItemsQuerySchema, publicStoreSchema, publicTransactionSchema, purchaseInputSchema,
  purchaseResultSchema, storeParamsSchema, storeTransactionParamsSchema, storeWebhookResultSchema,
} from '../../../shared/contracts/storefront'
import { webhookBodySchema } from '../../../shared/contracts/webhooks'
import { paypalEventBody } from './common'
import { apiArea, rateLimited } from './registry'

// The public store API (no auth; docs/owner-api.md, "Public store").

const store = apiArea({ tags: ['Public store'] })
const storeClosed = { 404: { description: 'No such open store (or, for transactions, no such transaction in it)' } }
const unavailable = { description: 'The store has no usable PayPal credentials, or PayPal is unreachable; nothing was charged' }

export const storeOperations = [
  store.get('/api/public-store/{subdomain}', 'getPublicStore', 'The open store and its categories', {
    params: storeParamsSchema,
    responses: { 200: { description: 'The store', schema: publicStoreSchema }, ...storeClosed },
  }),
  store.get('/api/public-store/{subdomain}/items', 'listPublicItems', 'Enabled items (never their commands)', {
    params: storeParamsSchema,
    query: publicItemsQuerySchema,
    responses: { 200: { description: 'The items, by sort_order then name', schema: publicItemListSchema }, ...storeClosed },
  }),
  store.post('/api/public-store/{subdomain}/purchase', 'purchase', 'Reserve an item for a player and start a PayPal order', {
    description: `The amount is price_cents × quantity from the database. \`player_uuid\` is required when one of the item's commands uses {uuid}. \`purchase_limit\` counts the player's (case-insensitive) pending, paid and delivered quantity of the item; stock is reserved now, under a row lock, so concurrent purchases cannot oversell. The pending transaction expires after ${PENDING_PURCHASE_TTL_MINUTES} minutes and gives its stock back. Send the player to \`approval_url\`; PayPal returns them to \`<storefront>/return?tx=<transaction_id>\`. For the embedded demo store (\`paypal_mode: demo\`, never in production: 409 there) \`approval_url\` is Cairn's own page \`<storefront>/demo-pay/<transaction_id>\`, whose Approve calls the capture below. Rate limited per client IP (${describeRate(PURCHASES_PER_IP)}).`,
    params: storeParamsSchema,
    body: { schema: purchaseInputSchema, examples: { steve: { item_id: '0c9d5a8e-3f2b-4d71-8e6a-91b2c3d4e5f6', player_name: 'Steve', quantity: 1 } } },
    responses: {
      201: { description: 'Reserved; waiting for the buyer at PayPal', schema: purchaseResultSchema },
      400: { description: 'Invalid player_name / player_uuid / quantity / item_id, or `player_uuid` missing for an item that needs it; nothing stored' },
      404: { description: 'No such open store, or no such enabled item in it' },
      409: { description: 'Purchase limit reached (`data.purchase_limit`, `data.already_purchased`) or out of stock (`data.stock`)' },
      429: rateLimited(`Too many purchases from this client IP (${describeRate(PURCHASES_PER_IP)})`),
      503: unavailable,
    },
  }),
  store.get('/api/public-store/{subdomain}/transactions/{id}', 'getPublicTransaction', 'A transaction\'s status (polled by the return page)', {
    params: storeTransactionParamsSchema,
    responses: { 200: { description: 'The transaction', schema: publicTransactionSchema }, ...storeClosed },
  }),
  store.post('/api/public-store/{subdomain}/transactions/{id}/capture', 'capturePublicTransaction', 'Capture the approved PayPal order (idempotent)', {
    description: 'Call after PayPal sends the buyer back. Only a pending transaction is captured; any other answers its current status without calling PayPal. The outcome is read back from PayPal with the store\'s credentials. Not approved yet → still `pending`. Repeated or concurrent calls settle the transaction once (one delivery).',
    params: storeTransactionParamsSchema,
    responses: { 200: { description: 'The status after the capture attempt', schema: captureResultSchema }, ...storeClosed, 503: unavailable },
  }),
  store.post('/api/public-store/{subdomain}/webhook', 'storeWebhook', 'PayPal webhook for the store owner\'s PayPal app (CHECKOUT.ORDER.*, PAYMENT.CAPTURE.*)', {
    description: 'Served for any existing store, open or not. When the store has a `paypal_webhook_id` the signature is verified with PayPal first. The event is only a hint: the order is fetched back from PayPal with the store\'s credentials and acted on. Replayed event ids are no-ops (`duplicate`); events for orders that are not this store\'s, and other event types, answer 200 `ignored` and change nothing.',
    params: storeParamsSchema,
    body: { schema: webhookBodySchema, description: paypalEventBody },
    responses: {
      200: { description: 'Handled', schema: storeWebhookResultSchema },
      400: { description: 'Not a PayPal event, bad signature, the store has no PayPal credentials, or PayPal does not know the order for this store: nothing changed' },
      404: { description: 'No store at this subdomain' },
      503: { description: 'PayPal is unreachable (PayPal retries later)' },
    },
  }),
]
