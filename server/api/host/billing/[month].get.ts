import { billingParamsSchema, billingQuerySchema } from '../../../../shared/contracts/host'
import { billingCsv, billingCsvFilename, billingJson } from '../../../domains/hosts/billing'

/** JSON BillingReport, or CSV (`?format=csv` or `Accept: text/csv`); both streamed page by page. */
export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const { month } = paramsInput(event, billingParamsSchema)
  const { format } = queryInput(event, billingQuerySchema)
  const deps = await useDeps()
  const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(getRequestHeader(event, 'accept') ?? ''))
  if (!wantsCsv) {
    const chunks = await billingJson(deps, host, month)
    setResponseHeader(event, 'Content-Type', 'application/json')
    return streamText(event, chunks)
  }
  const chunks = await billingCsv(deps, host, month)
  setResponseHeaders(event, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${billingCsvFilename(month)}"`,
  })
  return streamText(event, chunks)
})
