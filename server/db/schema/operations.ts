import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, timestamps, tstz } from './columns'
import { licenses, users } from './core'
import { AUDIT_ACTIONS, DISCORD_OUTBOX_STATUSES } from '../../../shared/contracts/enums'

// What owners did (audit) and what the store announces on Discord (its own outbox).

/**
 * One owner action on a license's store. The actor's email is a snapshot, so the log still
 * reads right after the account changes. `detail` holds field names and public values only.
 */
export const auditEvents = pgTable('audit_events', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  actorEmail: text('actor_email').notNull(),
  action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
  targetId: uuid('target_id'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  at: tstz('at').notNull().defaultNow(),
}, t => [index('audit_events_license_at_idx').on(t.licenseId, t.at.desc(), t.id.desc())])

/**
 * Discord announcements, written in the same database transaction as the payment they announce
 * (one per transaction), sent by a relay with backoff so Discord never holds up a purchase.
 */
export const discordOutbox = pgTable('discord_outbox', {
  id: id(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  transactionId: uuid('transaction_id').notNull(),
  /** The Discord execute-webhook body (embeds), frozen at creation. */
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: DISCORD_OUTBOX_STATUSES }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
  lastError: text('last_error'),
  sentAt: tstz('sent_at'),
  ...timestamps,
}, t => [
  uniqueIndex('discord_outbox_transaction_key').on(t.transactionId),
  index('discord_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
])

export type AuditEventRow = typeof auditEvents.$inferSelect
export type DiscordOutboxRow = typeof discordOutbox.$inferSelect
