import { z } from 'zod'
import { CURRENCIES, LICENSE_STATUSES } from '../../db/schema'
import { billingQuerySchema, BILLING_CSV_HEADER, monthSchema } from '../../domains/hosts/billing'
import { listLicensesQuerySchema, updateLicenseSchema } from '../../domains/hosts/host-licenses'
import type { OperationSpec } from './registry'
import { provisionBulkSchema, provisionServerSchema } from '../../domains/hosts/provisioning'

// The host API in the OpenAPI document: request schemas are the ones the routes validate with;
// the response schemas below describe what presentLicense / billingReport return.

const isoTime = z.string().meta({ format: 'date-time' })

export const licenseResponseSchema = z.object({
  license_id: z.uuid(),
  server_id: z.string(),
  hostname: z.string().nullable(),
  customer_email: z.string().meta({ format: 'email' }),
  status: z.enum(LICENSE_STATUSES),
  license_key: z.string().meta({ example: 'CAIRN-7Q2XK-M4PZD-9H3TW-C8VNB', description: 'CAIRN-XXXXX-XXXXX-XXXXX-XXXXX (Crockford base32)' }),
  companion_token: z.string().optional().meta({ description: 'cairn_agent_... secret for the companion agent; omitted from lists' }),
  plugin_download_url: z.string(),
  subdomain: z.string(),
  panel_url: z.string().meta({ description: 'Panel page for this license; carries a single-use claim token while the customer has no password' }),
  store_url: z.string(),
  provisioned_at: isoTime,
  suspended_at: isoTime.nullable(),
  revoked_at: isoTime.nullable(),
}).meta({ title: 'License' })

const bulkResponseSchema = z.object({
  licenses: z.array(licenseResponseSchema.extend({ created: z.boolean() })),
})

const listResponseSchema = z.object({
  licenses: z.array(licenseResponseSchema.omit({ companion_token: true })),
  next_cursor: z.string().nullable(),
})

export const billingReportResponseSchema = z.object({
  month: z.string().meta({ example: '2026-03' }),
  status: z.enum(['open', 'closed']),
  currency: z.enum(CURRENCIES),
  rate_cents: z.number().int(),
  billable_licenses: z.number().int(),
  amount_cents: z.number().int(),
  generated_at: isoTime,
  lines: z.array(z.object({
    license_id: z.uuid(),
    server_id: z.string(),
    hostname: z.string().nullable(),
    customer_email: z.string(),
    provisioned_at: isoTime,
    revoked_at: isoTime.nullable(),
    amount_cents: z.number().int(),
  })),
}).meta({ title: 'BillingReport' })

const licenseIdParam = { name: 'license_id', in: 'path' as const, schema: z.uuid(), description: 'The license_id returned by provisioning' }
const tags = ['Host API']
const security = ['hostApiKey' as const]

export const hostOperations: OperationSpec[] = [
  {
    method: 'post',
    path: '/api/host/provision',
    operationId: 'hostProvision',
    summary: 'Provision a license for one server, or up to 100 in one call',
    description: 'Idempotent per server_id: the same server_id and email return the same license and secrets (200). Bulk is all-or-nothing.',
    tags,
    security,
    body: {
      schema: z.union([provisionServerSchema, provisionBulkSchema]),
      examples: {
        single: { server_id: 'srv-1042', hostname: 'mc.example.net', customer_email: 'alex@example.com' },
        bulk: { servers: [{ server_id: 'srv-1042', hostname: 'mc.example.net', customer_email: 'alex@example.com' }] },
      },
    },
    responses: {
      201: { description: 'Single server: a new license', schema: licenseResponseSchema },
      200: { description: 'Single server already provisioned (same license), or a bulk result in request order', schema: z.union([licenseResponseSchema, bulkResponseSchema]) },
      409: { description: 'server_id is already provisioned for another customer_email' },
    },
  },
  {
    method: 'get',
    path: '/api/host/licenses',
    operationId: 'hostListLicenses',
    summary: 'List this host\'s licenses (oldest first, cursor pagination)',
    tags,
    security,
    query: listLicensesQuerySchema,
    responses: { 200: { description: 'A page of licenses (without companion_token)', schema: listResponseSchema } },
  },
  {
    method: 'get',
    path: '/api/host/licenses/{license_id}',
    operationId: 'hostGetLicense',
    summary: 'Get one license',
    tags,
    security,
    parameters: [licenseIdParam],
    responses: { 200: { description: 'The license', schema: licenseResponseSchema } },
  },
  {
    method: 'patch',
    path: '/api/host/licenses/{license_id}',
    operationId: 'hostUpdateLicense',
    summary: 'Change the hostname',
    tags,
    security,
    parameters: [licenseIdParam],
    body: { schema: updateLicenseSchema },
    responses: { 200: { description: 'The updated license', schema: licenseResponseSchema }, 409: { description: 'The license is revoked' } },
  },
  {
    method: 'post',
    path: '/api/host/licenses/{license_id}/suspend',
    operationId: 'hostSuspendLicense',
    summary: 'Suspend (storefront and agent refused; still billable)',
    tags,
    security,
    parameters: [licenseIdParam],
    responses: { 200: { description: 'The license, status suspended', schema: licenseResponseSchema }, 409: { description: 'The license is revoked' } },
  },
  {
    method: 'post',
    path: '/api/host/licenses/{license_id}/reactivate',
    operationId: 'hostReactivateLicense',
    summary: 'Reactivate a suspended license',
    tags,
    security,
    parameters: [licenseIdParam],
    responses: { 200: { description: 'The license, status active', schema: licenseResponseSchema }, 409: { description: 'The license is revoked' } },
  },
  {
    method: 'delete',
    path: '/api/host/licenses/{license_id}',
    operationId: 'hostRevokeLicense',
    summary: 'Revoke (final; not billable from the next month on)',
    tags,
    security,
    parameters: [licenseIdParam],
    responses: { 200: { description: 'The license, status revoked', schema: licenseResponseSchema } },
  },
  {
    method: 'get',
    path: '/api/host/billing/{month}',
    operationId: 'hostBillingReport',
    summary: 'Monthly billing report (JSON, or CSV with ?format=csv / Accept: text/csv)',
    tags,
    security,
    parameters: [{ name: 'month', in: 'path', schema: monthSchema, description: 'YYYY-MM (UTC); not in the future' }],
    query: billingQuerySchema,
    responses: {
      200: {
        description: 'The report; the current month is open (live), past months are closed (frozen)',
        schema: billingReportResponseSchema,
        content: { 'text/csv': { schema: { type: 'string' }, example: `${BILLING_CSV_HEADER.join(',')}\r\n` } },
      },
    },
  },
]
