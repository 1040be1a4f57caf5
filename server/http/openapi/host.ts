import {
  BILLING_CSV_HEADER, billingParamsSchema, billingQuerySchema, billingReportSchema, hostLicenseParamsSchema, licenseListResponseSchema,
  listLicensesQuerySchema, provisionOkResponseSchema, provisionRequestSchema, updateLicenseSchema,
} from '../../../shared/contracts/host'
import { csvBody } from '../../../shared/contracts/http'
import { licenseSchema } from '../../../shared/contracts/licenses'
import { BULK_PROVISION_MAX, describeRate, HOST_API_PER_HOST, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from '../../../shared/contracts/limits'
import { apiArea, rateLimited, type ResponseSpec } from './registry'

// The host API's operations (docs/host-api.md).

const host = apiArea({ tags: ['Host API'], security: 'hostApiKey' })
const params = hostLicenseParamsSchema
const license = (description: string): ResponseSpec => ({ description, schema: licenseSchema })
const revoked = { description: 'The license is revoked' }
const server = { server_id: 'srv-1042', hostname: 'mc.example.net', customer_email: 'alex@example.com' }
const throttled = { 429: rateLimited(`Over this host's rate limit (${describeRate(HOST_API_PER_HOST)}); retry after \`Retry-After\` seconds`) }

export const hostOperations = [
  host.post('/api/host/provision', 'hostProvision', `Provision a license for one server, or up to ${BULK_PROVISION_MAX} in one call`, {
    description: 'Idempotent per server_id: the same server_id and email return the same license and secrets (200). Bulk is all-or-nothing.',
    body: { schema: provisionRequestSchema, examples: { single: server, bulk: { servers: [server] } } },
    responses: {
      201: license('Single server: a new license'),
      200: { description: 'Single server already provisioned (same license), or a bulk result in request order', schema: provisionOkResponseSchema },
      409: { description: 'server_id is already provisioned for another customer_email' },
      ...throttled,
    },
  }),
  host.get('/api/host/licenses', 'hostListLicenses', 'List this host\'s licenses (oldest first, cursor pagination)', {
    description: `\`limit\` 1–${LIST_LIMIT_MAX} (default ${LIST_LIMIT_DEFAULT}); follow \`next_cursor\` until it is null.`,
    query: listLicensesQuerySchema,
    responses: { 200: { description: 'A page of licenses (without companion_token)', schema: licenseListResponseSchema }, ...throttled },
  }),
  host.get('/api/host/licenses/{license_id}', 'hostGetLicense', 'Get one license', {
    params,
    responses: { 200: license('The license'), ...throttled },
  }),
  host.patch('/api/host/licenses/{license_id}', 'hostUpdateLicense', 'Change the hostname', {
    params,
    body: { schema: updateLicenseSchema },
    responses: { 200: license('The updated license'), 409: revoked, ...throttled },
  }),
  host.post('/api/host/licenses/{license_id}/suspend', 'hostSuspendLicense', 'Suspend (storefront and agent refused; still billable)', {
    params,
    responses: { 200: license('The license, status suspended'), 409: revoked, ...throttled },
  }),
  host.post('/api/host/licenses/{license_id}/reactivate', 'hostReactivateLicense', 'Reactivate a suspended license', {
    params,
    responses: { 200: license('The license, status active'), 409: revoked, ...throttled },
  }),
  host.delete('/api/host/licenses/{license_id}', 'hostRevokeLicense', 'Revoke (final; not billable from the next month on)', {
    params,
    responses: { 200: license('The license, status revoked'), ...throttled },
  }),
  host.get('/api/host/billing/{month}', 'hostBillingReport', 'Monthly billing report (JSON, or CSV with ?format=csv / Accept: text/csv)', {
    params: billingParamsSchema,
    query: billingQuerySchema,
    responses: {
      200: {
        description: 'The report; the current month is open (live), past months are closed (frozen)',
        schema: billingReportSchema,
        content: { 'text/csv': { schema: csvBody, example: `${BILLING_CSV_HEADER.join(',')}\r\n` } },
      },
      ...throttled,
    },
  }),
]
