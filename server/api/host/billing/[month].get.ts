import { billingParamsSchema, billingQuerySchema } from '../../../../shared/contracts/host'
import { billingCsv, billingCsvFilename, billingReport } from '../../../domains/hosts/billing'

/** JSON BillingReport, or CSV (`?format=csv` or `Accept: text/csv`) streamed page by page. */
export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const { month } = paramsInput(event, billingParamsSchema)
  const { format } = queryInput(event, billingQuerySchema)
  const deps = await useDeps()
  const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(getRequestHeader(event, 'accept') ?? ''))
  if (!wantsCsv) return billingReport(deps, host, month)

  const chunks = await billingCsv(deps, host, month)
  setResponseHeaders(event, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${billingCsvFilename(month)}"`,
  })
  const encoder = new TextEncoder()
  return sendStream(event, new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await chunks.return(undefined)
    },
  }))
})
