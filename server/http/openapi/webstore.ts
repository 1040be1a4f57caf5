import { z } from 'zod'
import { PAYPAL_MODES, STORE_CURRENCIES, TRANSACTION_STATUSES } from '../../db/schema'
import { ENABLE_REQUIREMENTS } from '../../../shared/contracts/webstore'
import { licenseHeader } from './modules'
import type { OperationSpec, ParameterSpec } from './registry'
import { categoryInputSchema } from '../../domains/webstore/categories'
import { storeConfigInputSchema } from '../../domains/webstore/config'
import { itemInputSchema, itemListQuerySchema } from '../../domains/webstore/items'
import { PLACEHOLDERS } from '../../../shared/rules/placeholders'
import { MAX_LIMIT, TRANSACTION_CSV_HEADER, transactionQuerySchema } from '../../domains/webstore/transactions'

// The owner's webstore admin API in the OpenAPI document. Request schemas are the ones the routes
// validate with (rules JSON Schema cannot express, such as the placeholder check, are described);
// responses follow presentStoreConfig / presentCategory / presentItem / presentTransaction.

const isoTime = z.string().meta({ format: 'date-time' })

export const storeConfigResponseSchema = z.object({
  name: z.string(),
  description: z.string(),
  currency: z.enum(STORE_CURRENCIES),
  paypal_client_id: z.string(),
  paypal_secret_set: z.boolean().meta({ description: 'Whether a PayPal client secret is stored; the secret itself is never returned' }),
  paypal_mode: z.enum(PAYPAL_MODES),
  paypal_webhook_id: z.string().nullable(),
  enabled: z.boolean(),
  subdomain: z.string(),
  store_url: z.string(),
  updated_at: isoTime,
}).meta({ title: 'StoreConfig' })

export const categoryResponseSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  sort_order: z.number().int(),
  created_at: isoTime,
  updated_at: isoTime,
}).meta({ title: 'Category' })

export const itemResponseSchema = z.object({
  id: z.uuid(),
  category_id: z.uuid(),
  name: z.string(),
  description: z.string(),
  price_cents: z.number().int(),
  image_url: z.string().nullable(),
  commands: z.array(z.object({ command: z.string(), require_online: z.boolean() })),
  purchase_limit: z.number().int().nullable(),
  stock: z.number().int().nullable(),
  enabled: z.boolean(),
  sort_order: z.number().int(),
}).meta({ title: 'Item' })

export const transactionResponseSchema = z.object({
  id: z.uuid(),
  item_id: z.uuid(),
  item_name: z.string(),
  player_name: z.string(),
  player_uuid: z.uuid().nullable(),
  quantity: z.number().int(),
  amount_cents: z.number().int(),
  currency: z.enum(STORE_CURRENCIES),
  status: z.enum(TRANSACTION_STATUSES),
  paypal_order_id: z.string().nullable(),
  created_at: isoTime,
  paid_at: isoTime.nullable(),
  delivered_at: isoTime.nullable(),
}).meta({ title: 'Transaction' })

const enableRefusedSchema = z.object({
  statusCode: z.literal(400),
  message: z.string(),
  data: z.object({
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
    missing: z.array(z.enum(ENABLE_REQUIREMENTS)).optional().meta({ description: 'Present when `enabled: true` is refused: every unmet requirement, in this order' }),
  }),
})

const placeholderList = PLACEHOLDERS.map(p => `{${p}}`).join(' ')
const itemBody = itemInputSchema.meta({
  description: `Each \`commands[].command\` is one line (no newline, CR or NUL) and may contain braces only around the placeholders ${placeholderList}; any other \`{...}\`, \`{{player}}\` or a JSON text component is refused with 400. A lone \`{\` or \`}\` is allowed. \`category_id\` must be the UUID of one of this license's categories (else 400). Omitted fields take their defaults (description "", image_url null, purchase_limit null, stock null, enabled true, sort_order 0).`,
})

const idParam = (what: string): ParameterSpec => ({
  name: 'id',
  in: 'path',
  schema: z.uuid(),
  description: `The ${what} id; anything that is not a UUID answers 404 like an unknown id`,
})

const tags = ['Webstore admin']
const security = ['userSession' as const]
const parameters = [licenseHeader]
const sampleItem = {
  category_id: '5b0f3c8e-6a51-4f7e-9a8b-2d1c0e9f7a61',
  name: 'VIP rank (30 days)',
  price_cents: 499,
  commands: [{ command: 'lp user {player} parent addtemp vip 30d', require_online: false }],
}

export const webstoreOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/api/webstore/config',
    operationId: 'getStoreConfig',
    summary: 'The store configuration (null until first saved)',
    tags,
    security,
    parameters,
    responses: { 200: { description: 'The configuration, or null', schema: z.object({ config: storeConfigResponseSchema.nullable() }) } },
  },
  {
    method: 'put',
    path: '/api/webstore/config',
    operationId: 'saveStoreConfig',
    summary: 'Create or update the store configuration',
    description: 'A field left out keeps its stored value (defaults for a new store: description "", currency USD, paypal_mode sandbox, enabled false); the resulting name must not be empty. `paypal_client_secret` left out keeps the stored secret, `null` or `""` clears it; it is stored encrypted and never returned. `paypal_webhook_id` `null` or `""` clears it. Whenever the resulting configuration is enabled (also when `enabled` is omitted and the store already is), it must have a name, a PayPal client id and secret, and the license an ACTIVE webstore subscription; otherwise 400 with `data.missing`. Opening a closed store queues the `webstore` module install when the server lacks it.',
    tags,
    security,
    parameters,
    body: {
      schema: storeConfigInputSchema,
      examples: {
        setup: { name: 'Example Network Store', description: 'Ranks and kits', currency: 'USD', paypal_client_id: 'AZ...', paypal_client_secret: 'EL...', paypal_mode: 'sandbox', enabled: false },
        enable: { enabled: true },
      },
    },
    responses: {
      200: { description: 'Saved', schema: z.object({ config: storeConfigResponseSchema }) },
      400: { description: 'Invalid input (`data.issues`), or enabling refused (`data.missing`)', schema: enableRefusedSchema },
    },
  },
  {
    method: 'get',
    path: '/api/webstore/categories',
    operationId: 'listCategories',
    summary: 'Every category, by sort_order then name',
    tags,
    security,
    parameters,
    responses: { 200: { description: 'The categories', schema: z.object({ categories: z.array(categoryResponseSchema) }) } },
  },
  {
    method: 'post',
    path: '/api/webstore/categories',
    operationId: 'createCategory',
    summary: 'Create a category',
    tags,
    security,
    parameters,
    body: { schema: categoryInputSchema, examples: { ranks: { name: 'Ranks', description: 'Perks that last.', sort_order: 0 } } },
    responses: { 201: { description: 'Created', schema: z.object({ category: categoryResponseSchema }) } },
  },
  {
    method: 'put',
    path: '/api/webstore/categories/{id}',
    operationId: 'updateCategory',
    summary: 'Replace a category (omitted description / sort_order reset to "" / 0)',
    tags,
    security,
    parameters: [idParam('category'), licenseHeader],
    body: { schema: categoryInputSchema },
    responses: { 200: { description: 'Updated', schema: z.object({ category: categoryResponseSchema }) } },
  },
  {
    method: 'delete',
    path: '/api/webstore/categories/{id}',
    operationId: 'deleteCategory',
    summary: 'Delete a category no (non-deleted) item uses',
    tags,
    security,
    parameters: [idParam('category'), licenseHeader],
    responses: {
      204: { description: 'Deleted' },
      409: { description: 'Items still use it; `data.item_count` says how many' },
    },
  },
  {
    method: 'get',
    path: '/api/webstore/items',
    operationId: 'listItems',
    summary: 'Every item (enabled or not, not deleted), by sort_order then name',
    tags,
    security,
    parameters,
    query: itemListQuerySchema,
    responses: { 200: { description: 'The items (an empty `?category_id=` means no filter)', schema: z.object({ items: z.array(itemResponseSchema) }) } },
  },
  {
    method: 'post',
    path: '/api/webstore/items',
    operationId: 'createItem',
    summary: 'Create an item',
    tags,
    security,
    parameters,
    body: { schema: itemBody, examples: { vip: sampleItem } },
    responses: { 201: { description: 'Created', schema: z.object({ item: itemResponseSchema }) } },
  },
  {
    method: 'put',
    path: '/api/webstore/items/{id}',
    operationId: 'updateItem',
    summary: 'Replace an item (the whole Item; omitted optional fields take their defaults)',
    tags,
    security,
    parameters: [idParam('item'), licenseHeader],
    body: { schema: itemBody, examples: { vip: sampleItem } },
    responses: { 200: { description: 'Updated', schema: z.object({ item: itemResponseSchema }) } },
  },
  {
    method: 'delete',
    path: '/api/webstore/items/{id}',
    operationId: 'deleteItem',
    summary: 'Delete an item',
    description: 'An item that has transactions is soft-deleted: disabled and hidden from every list, its transactions keep their item_id. It answers 404 afterwards like a deleted one.',
    tags,
    security,
    parameters: [idParam('item'), licenseHeader],
    responses: { 204: { description: 'Deleted (or soft-deleted)' } },
  },
  {
    method: 'get',
    path: '/api/webstore/transactions',
    operationId: 'listTransactions',
    summary: 'Transactions, newest first (JSON page, or the whole filtered list as CSV)',
    description: `\`limit\` 1–${MAX_LIMIT} (default 50; anything else is 400). \`player\` is an exact, case-insensitive match on the player name. \`cursor\` is opaque: pass \`next_cursor\` from the previous page with the same filters; a forged one is 400. CSV with \`?format=csv\` or \`Accept: text/csv\` (ignores \`limit\`, honours the filters and a cursor), streamed, formula cells prefixed with \`'\`.`,
    tags,
    security,
    parameters,
    query: transactionQuerySchema,
    responses: {
      200: {
        description: 'A page of transactions, or CSV (`Content-Disposition: attachment; filename="cairn-transactions-<subdomain>-<YYYY-MM-DD>.csv"`)',
        schema: z.object({ transactions: z.array(transactionResponseSchema), next_cursor: z.string().nullable() }),
        content: { 'text/csv': { schema: { type: 'string' }, example: `${TRANSACTION_CSV_HEADER.join(',')}\r\n` } },
      },
    },
  },
]
