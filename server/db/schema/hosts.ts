import { sql } from 'drizzle-orm'
import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, timestamps, tstz } from './columns'
import { licenses } from './core'
import { CURRENCIES, HOST_STATUSES } from '../../../shared/contracts/enums'

/** A hosting company reselling Cairn ("Model B"); authenticates with an API key. */
export const hosts = pgTable('hosts', {
  id: id(),
  name: text('name').notNull(),
  /** SHA-256 (hex) of the current API key; the key itself is shown once and never stored. */
  apiKeyHash: text('api_key_hash').notNull(),
  /** First characters of the key, so an operator can tell keys apart without seeing them. */
  keyPrefix: text('key_prefix').notNull(),
  status: text('status', { enum: HOST_STATUSES }).notNull().default('active'),
  /** Wholesale price per billable license per month, in minor units. */
  rateCents: integer('rate_cents').notNull().default(600),
  currency: text('currency', { enum: CURRENCIES }).notNull().default('USD'),
  lastUsedAt: tstz('last_used_at'),
  ...timestamps,
}, t => [uniqueIndex('hosts_api_key_hash_key').on(t.apiKeyHash)])

/**
 * Host ↔ license link. The license row keeps the authoritative status; the timestamps here are
 * written in the same transaction and drive idempotency (`server_id` is unique per host among
 * non-revoked links) and billing.
 */
export const hostLicenses = pgTable('host_licenses', {
  id: id(),
  hostId: uuid('host_id').notNull().references(() => hosts.id),
  licenseId: uuid('license_id').notNull().references(() => licenses.id),
  serverId: text('server_id').notNull(),
  /** Lower-cased, as given at provisioning. */
  customerEmail: text('customer_email').notNull(),
  provisionedAt: tstz('provisioned_at').notNull(),
  suspendedAt: tstz('suspended_at'),
  revokedAt: tstz('revoked_at'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, t => [
  uniqueIndex('host_licenses_license_key').on(t.licenseId),
  uniqueIndex('host_licenses_live_server_key').on(t.hostId, t.serverId).where(sql`${t.revokedAt} is null`),
  index('host_licenses_host_provisioned_idx').on(t.hostId, t.provisionedAt, t.licenseId),
])

/** A closed month's bill, frozen on first request or by `billing:generate`; never changes afterwards. */
export const hostBillingRecords = pgTable('host_billing_records', {
  id: id(),
  hostId: uuid('host_id').notNull().references(() => hosts.id),
  /** `YYYY-MM` (UTC). */
  month: text('month').notNull(),
  billableLicenses: integer('billable_licenses').notNull(),
  rateCents: integer('rate_cents').notNull(),
  amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
  currency: text('currency', { enum: CURRENCIES }).notNull(),
  generatedAt: tstz('generated_at').notNull(),
}, t => [uniqueIndex('host_billing_records_host_month_key').on(t.hostId, t.month)])

/** The frozen lines of a billing record, in report order (`position`). */
export const hostBillingLines = pgTable('host_billing_lines', {
  recordId: uuid('record_id').notNull().references(() => hostBillingRecords.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  licenseId: uuid('license_id').notNull(),
  serverId: text('server_id').notNull(),
  hostname: text('hostname'),
  customerEmail: text('customer_email').notNull(),
  provisionedAt: tstz('provisioned_at').notNull(),
  revokedAt: tstz('revoked_at'),
  amountCents: integer('amount_cents').notNull(),
}, t => [primaryKey({ columns: [t.recordId, t.position] })])

export type Host = typeof hosts.$inferSelect
export type HostLicense = typeof hostLicenses.$inferSelect
export type HostBillingRecord = typeof hostBillingRecords.$inferSelect
