import { z } from 'zod'
import { billingCsv, billingCsvFilename, billingQuerySchema, billingReport, monthSchema } from '../../../domains/hosts/billing'

/** JSON BillingReport, or CSV (`?format=csv` or `Accept: text/csv`) streamed page by page. */
export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const { month } = paramsInput(event, z.object({ month: monthSchema }))
  const { format } = queryInput(event, billingQuerySchema)
  const { db, clock } = await useHostDeps()
  const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(getRequestHeader(event, 'accept') ?? ''))
  if (!wantsCsv) return billingReport(db, host, month, clock)

  const chunks = await billingCsv(db, host, month, clock)
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
