import { z } from 'zod'
import { BILLING_MONTH_STATUSES, CURRENCIES, EXPORT_FORMATS, HOST_STATUSES, LICENSE_STATUSES } from './enums'
import { isIpAddress } from '../rules/ip-address'
import { emailSchema, integer, isoTime } from './fields'
import { licenseSchema, listedLicenseSchema } from './licenses'
import {
  BULK_PROVISION_MAX, DEFAULT_RATE_CENTS, HOST_NAME_MAX_LENGTH, HOSTNAME_MAX_LENGTH,
  MAX_RATE_CENTS, SERVER_ID_MAX_LENGTH,
} from './limits'
import { pageQueryFields } from './pagination'

// The host API (provisioning, licenses, billing) and the operator's host commands.

const serverIdLength = `must be 1 to ${SERVER_ID_MAX_LENGTH} characters`
export const serverIdSchema = z.string()
  .min(1, serverIdLength)
  .max(SERVER_ID_MAX_LENGTH, serverIdLength)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may only contain letters, digits and . _ : -')

const DNS_NAME_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/

export const hostnameSchema = z.string()
  .trim()
  .min(1, 'is required')
  .max(HOSTNAME_MAX_LENGTH, `must be at most ${HOSTNAME_MAX_LENGTH} characters`)
  .refine(v => DNS_NAME_RE.test(v) || isIpAddress(v), 'must be a DNS name or an IP address')

export const provisionServerSchema = z.object({
  server_id: serverIdSchema,
  hostname: hostnameSchema,
  customer_email: emailSchema,
})
export type ProvisionServer = z.output<typeof provisionServerSchema>

const bulkCount = `must list 1 to ${BULK_PROVISION_MAX} servers`
export const provisionBulkSchema = z.object({
  servers: z.array(provisionServerSchema).min(1, bulkCount).max(BULK_PROVISION_MAX, bulkCount),
})

/** The body of POST /api/host/provision: one server, or `{ servers }` (the presence of `servers` decides). */
export const provisionRequestSchema = z.union([provisionServerSchema, provisionBulkSchema])

const provisionBulkResponseSchema = z.strictObject({
  licenses: z.array(licenseSchema.extend({ created: z.boolean() })),
})

/** 200: a single server already provisioned (its License), or a bulk result. */
export const provisionOkResponseSchema = z.union([licenseSchema, provisionBulkResponseSchema])

export const listLicensesQuerySchema = z.object({
  status: z.enum(LICENSE_STATUSES, { message: `must be one of ${LICENSE_STATUSES.join(', ')}` }).optional(),
  server_id: serverIdSchema.optional(),
  ...pageQueryFields,
})
export type ListLicensesQuery = z.output<typeof listLicensesQuerySchema>

export const licenseListResponseSchema = z.strictObject({
  licenses: z.array(listedLicenseSchema),
  next_cursor: z.string().nullable(),
})
export type LicenseListResponse = z.output<typeof licenseListResponseSchema>

export const hostLicenseParamsSchema = z.object({
  license_id: z.uuid().meta({ description: 'The license_id returned by provisioning' }),
})

export const updateLicenseSchema = z.object({ hostname: hostnameSchema })
export type UpdateLicenseInput = z.output<typeof updateLicenseSchema>

export const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/
const FIRST_BILLING_YEAR = 2000

export const monthSchema = z.string({ message: 'must be a month in YYYY-MM form' })
  .regex(MONTH_RE, { message: 'must be a month in YYYY-MM form (e.g. 2026-03)', abort: true })
  .refine(v => Number(v.slice(0, 4)) >= FIRST_BILLING_YEAR, `must be ${FIRST_BILLING_YEAR}-01 or later`)
  .meta({ description: 'YYYY-MM (UTC); not in the future' })

export const billingParamsSchema = z.object({ month: monthSchema })

export const billingQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS, { message: 'must be json or csv' }).optional(),
})

const billingLineSchema = z.strictObject({
  license_id: z.uuid(),
  server_id: z.string(),
  hostname: z.string().nullable(),
  customer_email: z.email(),
  provisioned_at: isoTime,
  revoked_at: isoTime.nullable(),
  amount_cents: integer,
})
export type BillingLineView = z.output<typeof billingLineSchema>

export const billingReportSchema = z.strictObject({
  month: z.string().meta({ example: '2026-03' }),
  status: z.enum(BILLING_MONTH_STATUSES),
  currency: z.enum(CURRENCIES),
  rate_cents: integer,
  billable_licenses: integer,
  amount_cents: integer,
  generated_at: isoTime,
  lines: z.array(billingLineSchema),
}).meta({ title: 'BillingReport' })
export type BillingReportView = z.output<typeof billingReportSchema>

export const BILLING_CSV_HEADER = ['license_id', 'server_id', 'hostname', 'customer_email', 'provisioned_at', 'revoked_at', 'rate_cents', 'amount_cents', 'currency'] as const

// Operator CLI: host:create, host:set-rate, host:list.
export const hostNameSchema = z.string().trim().min(1, 'is required').max(HOST_NAME_MAX_LENGTH, `must be at most ${HOST_NAME_MAX_LENGTH} characters`)
export const rateCentsSchema = z.number().int('must be a whole number of cents').min(0, 'must be at least 0').max(MAX_RATE_CENTS, `must be at most ${MAX_RATE_CENTS}`)
export const currencySchema = z.enum(CURRENCIES, { message: `must be one of ${CURRENCIES.join(', ')}` })

export const createHostSchema = z.object({
  name: hostNameSchema,
  rate_cents: rateCentsSchema.default(DEFAULT_RATE_CENTS),
  currency: currencySchema.default('USD'),
})
export type CreateHostInput = z.input<typeof createHostSchema>

export const hostSummarySchema = z.strictObject({
  host_id: z.uuid(),
  name: z.string(),
  status: z.enum(HOST_STATUSES),
  rate_cents: integer,
  currency: z.enum(CURRENCIES),
  key_prefix: z.string(),
  last_used_at: isoTime.nullable(),
  created_at: isoTime,
})
export type HostSummary = z.output<typeof hostSummarySchema>
