import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, singleUseLink, singleUseLinkIndexes, timestamps, tstz } from './columns'
import { LICENSE_STATUSES } from '../../../shared/contracts/enums'

export const users = pgTable('users', {
  id: id(),
  /** Stored lower-cased; compared case-insensitively everywhere. */
  email: text('email').notNull(),
  /** scrypt hash in `scrypt$N$r$p$salt$hash` form; null until the customer claims the account. */
  passwordHash: text('password_hash'),
  ...timestamps,
}, t => [uniqueIndex('users_email_key').on(t.email)])

export const sessions = pgTable('sessions', {
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: tstz('created_at').notNull().defaultNow(),
  /** Written at most once a minute (SESSION_LAST_SEEN_RESOLUTION_SECONDS). */
  lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
  expiresAt: tstz('expires_at').notNull(),
  revokedAt: tstz('revoked_at'),
  /** Client IP and User-Agent at sign-in, shown in the owner's session list. */
  ip: text('ip'),
  userAgent: text('user_agent'),
}, t => [index('sessions_user_idx').on(t.userId)])

export const licenses = pgTable('licenses', {
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id),
  licenseKey: text('license_key').notNull(),
  /** SHA-256 of the companion token: the agent is authenticated by this lookup. */
  companionTokenHash: text('companion_token_hash').notNull(),
  /** AES-256-GCM sealed copy, so an idempotent re-provision can return the same token. */
  companionTokenSealed: text('companion_token_sealed').notNull(),
  subdomain: text('subdomain').notNull(),
  hostname: text('hostname'),
  status: text('status', { enum: LICENSE_STATUSES }).notNull().default('active'),
  suspendedAt: tstz('suspended_at'),
  revokedAt: tstz('revoked_at'),
  ...timestamps,
}, t => [
  uniqueIndex('licenses_license_key_key').on(t.licenseKey),
  uniqueIndex('licenses_companion_token_hash_key').on(t.companionTokenHash),
  uniqueIndex('licenses_subdomain_key').on(t.subdomain),
  // Subdomain allocation looks up `base-%`: a pattern-ops index keeps that a range scan.
  index('licenses_subdomain_pattern_idx').using('btree', t.subdomain.op('text_pattern_ops')),
  index('licenses_user_idx').on(t.userId),
])

/** Single-use tokens carried by `panel_url` for customers who have not set a password yet. */
export const claimTokens = pgTable('claim_tokens', {
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  licenseId: uuid('license_id').references(() => licenses.id, { onDelete: 'cascade' }),
  /** Sealed copy so repeated provisioning calls hand out the same panel_url. */
  tokenSealed: text('token_sealed').notNull(),
  ...singleUseLink(),
}, t => singleUseLinkIndexes('claim_tokens', t))

export type User = typeof users.$inferSelect
export type License = typeof licenses.$inferSelect
export type Session = typeof sessions.$inferSelect
