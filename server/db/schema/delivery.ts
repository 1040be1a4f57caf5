import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, timestamps, tstz } from './columns'
import { licenses } from './core'
import type { AgentMessage } from '../../../shared/contracts/agent'
import { DELIVERY_REASONS, OUTBOX_KINDS, OUTBOX_STATUSES } from '../../../shared/contracts/enums'

// The agent outbox and the payment bookkeeping around it.

/**
 * Transactional outbox for the companion agent. A row is written in the same database
 * transaction as the state change that causes it (a paid transaction, a queued module install).
 * A transaction's purchase (or grant) delivery is unique, and so is its take-back (revoke or
 * expiry): each happens once per transaction; owner resends may repeat.
 */
export const deliveries = pgTable('deliveries', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: OUTBOX_KINDS }).notNull().default('delivery'),
  /** The store transaction (kind delivery) or module install (kind module_install) this row is for. */
  refId: uuid('ref_id').notNull(),
  /** Why it exists (module installs are `purchase`: the one message of their install). */
  reason: text('reason', { enum: DELIVERY_REASONS }).notNull().default('purchase'),
  /** The exact JSON message the agent receives (docs/schemas), frozen at creation. */
  payload: jsonb('payload').$type<AgentMessage>().notNull(),
  status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
  /** Publish attempts so far (drives the re-send backoff). */
  attempts: integer('attempts').notNull().default(0),
  /** When the relay should (re)publish this row next. */
  nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
  sentAt: tstz('sent_at'),
  ackedAt: tstz('acked_at'),
  /** The agent's optional detail from a failed/done ack (trimmed, never shown to players). */
  detail: text('detail'),
  ...timestamps,
}, t => [
  uniqueIndex('deliveries_give_once_key').on(t.kind, t.refId).where(sql`${t.reason} in ('purchase', 'manual')`),
  uniqueIndex('deliveries_take_back_once_key').on(t.kind, t.refId).where(sql`${t.reason} in ('revoke', 'expiry')`),
  index('deliveries_ref_idx').on(t.refId, t.createdAt),
  // The relay's scan: open rows whose time has come.
  index('deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'sent')`),
  // The HTTP agent queue: one license's open rows, oldest first.
  index('deliveries_license_open_idx').on(t.licenseId, t.kind, t.createdAt).where(sql`${t.status} in ('pending', 'sent')`),
])

/**
 * PayPal webhook events already applied, so a replayed event is a no-op. `scope` is
 * `license:<id>` for a store owner's webhooks (or `platform` for the platform's own app).
 */
export const paypalWebhookEvents = pgTable('paypal_webhook_events', {
  id: id(),
  scope: text('scope').notNull(),
  eventId: text('event_id').notNull(),
  eventType: text('event_type').notNull(),
  /** What Cairn did with it (e.g. `paid`, `refunded`, `ignored`), for support. */
  outcome: text('outcome').notNull(),
  receivedAt: tstz('received_at').notNull().defaultNow(),
}, t => [uniqueIndex('paypal_webhook_events_scope_event_key').on(t.scope, t.eventId)])

export type DeliveryRow = typeof deliveries.$inferSelect
