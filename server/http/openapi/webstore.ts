import { enableRefusedSchema } from '../../../shared/contracts/errors'
import { csvBody } from '../../../shared/contracts/http'
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from '../../../shared/contracts/limits'
import {
  categoryInputSchema, categoryListResponseSchema, categoryResponseSchema, itemInputSchema, itemListQuerySchema, itemListResponseSchema,
  itemResponseSchema, maybeStoreConfigResponseSchema, resourceIdParamsSchema, storeConfigInputSchema, storeConfigResponseSchema,
  TRANSACTION_CSV_HEADER, transactionPageSchema, transactionQuerySchema,
} from '../../../shared/contracts/webstore'
import { PLACEHOLDERS } from '../../../shared/rules/placeholders'
import { ownerArea } from './common'

// The owner's webstore admin API (docs/owner-api.md). Rules JSON Schema cannot express, such as
// the placeholder check, are described in words.

const owner = ownerArea('Webstore admin')
const params = resourceIdParamsSchema

const itemBody = {
  schema: itemInputSchema,
  description: `Each \`commands[].command\` is one line (no newline, CR or NUL) and may contain braces only around the placeholders ${PLACEHOLDERS.map(p => `{${p}}`).join(' ')}; any other \`{...}\`, \`{{player}}\` or a JSON text component is refused with 400. A lone \`{\` or \`}\` is allowed. \`category_id\` must be the UUID of one of this license's categories (else 400). Omitted fields take their defaults (description "", image_url null, purchase_limit null, stock null, enabled true, sort_order 0).`,
  examples: {
    vip: {
      category_id: '5b0f3c8e-6a51-4f7e-9a8b-2d1c0e9f7a61',
      name: 'VIP rank (30 days)',
      price_cents: 499,
      commands: [{ command: 'lp user {player} parent addtemp vip 30d', require_online: false }],
    },
  },
}

export const webstoreOperations = [
  owner.get('/api/webstore/config', 'getStoreConfig', 'The store configuration (null until first saved)', {
    responses: { 200: { description: 'The configuration, or null', schema: maybeStoreConfigResponseSchema } },
  }),
  owner.put('/api/webstore/config', 'saveStoreConfig', 'Create or update the store configuration', {
    description: 'A field left out keeps its stored value (defaults for a new store: description "", currency USD, paypal_mode sandbox, enabled false); the resulting name must not be empty. `paypal_client_secret` left out keeps the stored secret, `null` or `""` clears it; it is stored encrypted and never returned. `paypal_webhook_id` `null` or `""` clears it. Whenever the resulting configuration is enabled (also when `enabled` is omitted and the store already is), it must have a name, a PayPal client id and secret, and the license an ACTIVE webstore subscription; otherwise 400 with `data.missing`. Opening a closed store queues the `webstore` module install when the server lacks it. `paypal_mode: "demo"` (Cairn\'s own approval page, no PayPal, no credentials needed) is accepted only for the store the embedded demo seed created and never with NODE_ENV=production; otherwise 400 naming `paypal_mode`.',
    body: {
      schema: storeConfigInputSchema,
      examples: {
        setup: { name: 'Example Network Store', description: 'Ranks and kits', currency: 'USD', paypal_client_id: 'AZ...', paypal_client_secret: 'EL...', paypal_mode: 'sandbox', enabled: false },
        enable: { enabled: true },
      },
    },
    responses: {
      200: { description: 'Saved', schema: storeConfigResponseSchema },
      400: { description: 'Invalid input (`data.issues`), or enabling refused (`data.missing`)', schema: enableRefusedSchema },
    },
  }),
  owner.get('/api/webstore/categories', 'listCategories', 'Every category, by sort_order then name', {
    responses: { 200: { description: 'The categories', schema: categoryListResponseSchema } },
  }),
  owner.post('/api/webstore/categories', 'createCategory', 'Create a category', {
    body: { schema: categoryInputSchema, examples: { ranks: { name: 'Ranks', description: 'Perks that last.', sort_order: 0 } } },
    responses: { 201: { description: 'Created', schema: categoryResponseSchema } },
  }),
  owner.put('/api/webstore/categories/{id}', 'updateCategory', 'Replace a category (omitted description / sort_order reset to "" / 0)', {
    params,
    body: { schema: categoryInputSchema },
    responses: { 200: { description: 'Updated', schema: categoryResponseSchema } },
  }),
  owner.delete('/api/webstore/categories/{id}', 'deleteCategory', 'Delete a category no (non-deleted) item uses', {
    params,
    responses: { 204: { description: 'Deleted' }, 409: { description: 'Items still use it; `data.item_count` says how many' } },
  }),
  owner.get('/api/webstore/items', 'listItems', 'Every item (enabled or not, not deleted), by sort_order then name', {
    query: itemListQuerySchema,
    responses: { 200: { description: 'The items (an empty `?category_id=` means no filter)', schema: itemListResponseSchema } },
  }),
  owner.post('/api/webstore/items', 'createItem', 'Create an item', {
    body: itemBody,
    responses: { 201: { description: 'Created', schema: itemResponseSchema } },
  }),
  owner.put('/api/webstore/items/{id}', 'updateItem', 'Replace an item (the whole Item; omitted optional fields take their defaults)', {
    params,
    body: itemBody,
    responses: { 200: { description: 'Updated', schema: itemResponseSchema } },
  }),
  owner.delete('/api/webstore/items/{id}', 'deleteItem', 'Delete an item', {
    description: 'An item that has transactions is soft-deleted: disabled and hidden from every list, its transactions keep their item_id. It answers 404 afterwards like a deleted one.',
    params,
    responses: { 204: { description: 'Deleted (or soft-deleted)' } },
  }),
  owner.get('/api/webstore/transactions', 'listTransactions', 'Transactions, newest first (JSON page, or the whole filtered list as CSV)', {
    description: `\`limit\` 1–${LIST_LIMIT_MAX} (default ${LIST_LIMIT_DEFAULT}; anything else is 400). \`player\` is an exact, case-insensitive match on the player name. \`cursor\` is opaque: pass \`next_cursor\` from the previous page with the same filters; a forged one is 400. CSV with \`?format=csv\` or \`Accept: text/csv\` (ignores \`limit\`, honours the filters and a cursor), streamed, formula cells prefixed with \`'\`.`,
    query: transactionQuerySchema,
    responses: {
      200: {
        description: 'A page of transactions, or CSV (`Content-Disposition: attachment; filename="cairn-transactions-<subdomain>-<YYYY-MM-DD>.csv"`)',
        schema: transactionPageSchema,
        content: { 'text/csv': { schema: csvBody, example: `${TRANSACTION_CSV_HEADER.join(',')}\r\n` } },
      },
    },
  }),
]
