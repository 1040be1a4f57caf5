import { sql } from 'drizzle-orm'
import { bigint, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, singleUseLink, singleUseLinkIndexes, tstz } from './columns'
import { users } from './core'

// Account security: password reset links, TOTP two-factor, recovery codes and the mail outbox.

/** Single-use `/reset/<token>` links; only the token's SHA-256 is stored. */
export const passwordResetTokens = pgTable('password_reset_tokens', {
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  ...singleUseLink(),
}, t => singleUseLinkIndexes('password_reset_tokens', t))

/** A user's TOTP state: a pending secret between setup and enable, then the enabled one (both sealed). */
export const twoFactor = pgTable('two_factor', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  pendingSecretSealed: text('pending_secret_sealed'),
  secretSealed: text('secret_sealed'),
  enabledAt: tstz('enabled_at'),
  /** The last accepted 30 s time step: a code of this step or earlier is never accepted again. */
  lastStep: bigint('last_step', { mode: 'number' }),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
})

/** Ten single-use codes per enable; SHA-256 of the normalised code. */
export const recoveryCodes = pgTable('recovery_codes', {
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  codeHash: text('code_hash').notNull(),
  usedAt: tstz('used_at'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, t => [uniqueIndex('recovery_codes_user_code_key').on(t.userId, t.codeHash)])

export const MAIL_OUTBOX_KINDS = ['message', 'password_reset'] as const
export const MAIL_OUTBOX_STATUSES = ['pending', 'sent', 'dropped', 'failed'] as const

/**
 * Mails leave through this table, never on the request path: a worker claims due rows, renders
 * requests (`password_reset` → a message, or dropped for an unknown address) and sends them,
 * retrying with backoff. The payload is sealed (it carries live links) and cleared once done.
 */
export const mailOutbox = pgTable('mail_outbox', {
  id: id(),
  kind: text('kind', { enum: MAIL_OUTBOX_KINDS }).notNull(),
  status: text('status', { enum: MAIL_OUTBOX_STATUSES }).notNull().default('pending'),
  payloadSealed: text('payload_sealed'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
  lastError: text('last_error'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  finishedAt: tstz('finished_at'),
}, t => [index('mail_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`)])

export type PasswordResetToken = typeof passwordResetTokens.$inferSelect
export type TwoFactorRow = typeof twoFactor.$inferSelect
export type MailOutboxRow = typeof mailOutbox.$inferSelect
