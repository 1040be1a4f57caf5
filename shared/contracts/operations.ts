import { z } from 'zod'
import { AUDIT_ACTIONS, CURRENCIES, DELIVERY_REASONS, OUTBOX_STATUSES } from './enums'
import { integer, isoTime, longText } from './fields'
import { GRANT_NOTE_MAX_LENGTH, STATS_DAYS_DEFAULT, STATS_DAYS_MAX } from './limits'
import { pageQueryFields } from './pagination'
import { purchaseInputSchema } from './storefront'
import { transactionSchema } from './webstore'

// Owner operations: stats, one order's deliveries, resend/refund, grants and the audit log.

const daysMessage = `must be a whole number from 1 to ${STATS_DAYS_MAX}`

export const statsQuerySchema = z.object({
  days: z.string({ error: 'must be given once' }).regex(/^\d{1,4}$/, daysMessage).transform(Number)
    .refine(n => n >= 1 && n <= STATS_DAYS_MAX, daysMessage)
    .optional()
    .transform(n => n ?? STATS_DAYS_DEFAULT),
})

export const statsSchema = z.strictObject({
  currency: z.enum(CURRENCIES),
  days: z.array(z.strictObject({ date: z.iso.date(), revenue_cents: integer, orders: integer }))
    .meta({ description: 'One entry per UTC day of the window, oldest first, zeros included, ending today' }),
  totals: z.strictObject({ revenue_cents: integer, orders: integer, refunded_cents: integer }),
  top_items: z.array(z.strictObject({ item_id: z.uuid(), name: z.string(), revenue_cents: integer, orders: integer })),
  deliveries: z.strictObject({ pending: integer, failed: integer }),
  agent: z.strictObject({ last_seen_at: isoTime.nullable(), version: z.string().nullable() }),
}).meta({ title: 'Stats' })
export type Stats = z.output<typeof statsSchema>

const deliveryCommandSchema = z.strictObject({ command: z.string(), require_online: z.boolean() })

export const deliverySchema = z.strictObject({
  id: z.uuid().meta({ description: 'The agent message\'s id' }),
  reason: z.enum(DELIVERY_REASONS),
  status: z.enum(OUTBOX_STATUSES),
  commands: z.array(deliveryCommandSchema),
  created_at: isoTime,
  acked_at: isoTime.nullable(),
  detail: z.string().nullable().meta({ description: 'The agent\'s report (the game server\'s own output)' }),
}).meta({ title: 'Delivery' })
export type Delivery = z.output<typeof deliverySchema>

export const transactionDetailSchema = z.strictObject({ transaction: transactionSchema, deliveries: z.array(deliverySchema) })
export type TransactionDetail = z.output<typeof transactionDetailSchema>
export const deliveryResponseSchema = z.strictObject({ delivery: deliverySchema })
export const transactionResponseSchema = z.strictObject({ transaction: transactionSchema })

/** POST /api/webstore/grants: a purchase's player fields, plus the owner's note. */
export const grantInputSchema = purchaseInputSchema.pick({ item_id: true, player_name: true, player_uuid: true, quantity: true }).extend({
  note: longText(GRANT_NOTE_MAX_LENGTH).optional(),
})
export type GrantInput = z.output<typeof grantInputSchema>

export const auditQuerySchema = z.object({ ...pageQueryFields })

export const auditEventSchema = z.strictObject({
  id: z.uuid(),
  at: isoTime,
  actor: z.strictObject({ user_id: z.uuid().nullable(), email: z.string() }),
  action: z.enum(AUDIT_ACTIONS),
  target_id: z.uuid().nullable(),
  detail: z.record(z.string(), z.unknown()).meta({ description: 'What changed (field names and public values; never a secret)' }),
}).meta({ title: 'AuditEvent' })
export type AuditEvent = z.output<typeof auditEventSchema>
export const auditPageSchema = z.strictObject({ events: z.array(auditEventSchema), next_cursor: z.string().nullable() })
export type AuditPage = z.output<typeof auditPageSchema>
