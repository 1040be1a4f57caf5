import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, STATS_DAYS_DEFAULT, STATS_DAYS_MAX } from '../../../shared/contracts/limits'
import {
  auditPageSchema, auditQuerySchema, deliveryResponseSchema, grantInputSchema, statsQuerySchema, statsSchema,
  transactionDetailSchema, transactionResponseSchema,
} from '../../../shared/contracts/operations'
import { resourceIdParamsSchema } from '../../../shared/contracts/webstore'
import { ownerArea } from './common'

// Owner operations (docs/owner-api.md): stats, one order's deliveries, resend, refund, grants, audit.

const owner = ownerArea('Owner operations')
const params = resourceIdParamsSchema
const settledOnly = 'Only an order whose status is paid, delivered or failed'

export const ownerOperations = [
  owner.get('/api/webstore/stats', 'getStoreStats', 'Revenue, orders, top items, deliveries and agent status', {
    description: `\`?days=\` 1–${STATS_DAYS_MAX} (default ${STATS_DAYS_DEFAULT}): one entry per UTC day, oldest first, zeros included, ending today. Revenue counts purchases (not grants) by paid_at whose status is paid, delivered or failed; refunded and reversed ones count in \`refunded_cents\`.`,
    query: statsQuerySchema,
    responses: { 200: { description: 'The stats', schema: statsSchema } },
  }),
  owner.get('/api/webstore/transactions/{id}', 'getTransaction', 'One order and every delivery of it (oldest first)', {
    params,
    responses: { 200: { description: 'The order and its deliveries', schema: transactionDetailSchema } },
  }),
  owner.post('/api/webstore/transactions/{id}/resend', 'resendTransaction', 'Send the purchase commands again (a new delivery, reason resend)', {
    params,
    responses: { 202: { description: 'Queued', schema: deliveryResponseSchema }, 409: { description: `${settledOnly} can be sent again` } },
  }),
  owner.post('/api/webstore/transactions/{id}/refund', 'refundTransaction', 'Refund the order in full at PayPal, then queue its revoke commands', {
    description: 'The PayPal refund uses a request id fixed per order, so concurrent or repeated calls refund once; the revoke commands are queued once per order (also when a PayPal webhook reports the refund). A grant has nothing to refund (409).',
    params,
    responses: { 200: { description: 'Refunded', schema: transactionResponseSchema }, 409: { description: `${settledOnly} can be refunded; a second refund is 409` }, 503: { description: 'PayPal is not reachable; nothing was refunded' } },
  }),
  owner.post('/api/webstore/grants', 'createGrant', 'Give an item for free (source manual, amount 0), delivered like a purchase', {
    description: 'Ignores stock and purchase limits; never counts as revenue. An item of another store is 404.',
    body: { schema: grantInputSchema, examples: { giveaway: { item_id: '5b0f3c8e-6a51-4f7e-9a8b-2d1c0e9f7a61', player_name: 'Steve', note: 'Build contest winner' } } },
    responses: { 201: { description: 'Granted', schema: transactionResponseSchema } },
  }),
  owner.get('/api/webstore/audit', 'listAuditEvents', 'What owners did to this store, newest first', {
    description: `\`?limit=\` (default ${LIST_LIMIT_DEFAULT}, max ${LIST_LIMIT_MAX}) and \`?cursor=\`. \`detail\` names changed fields with public values; secrets show only as "set" or "cleared".`,
    query: auditQuerySchema,
    responses: { 200: { description: 'A page of events', schema: auditPageSchema } },
  }),
]
