import { getRequestHeader, sendIterable, setResponseHeaders } from 'h3'
import { transactionQuerySchema } from '../../../shared/contracts/webstore'
import { listTransactions, presentTransaction, transactionCsv } from '../../domains/webstore/transactions'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const query = queryInput(event, transactionQuerySchema)
  const deps = await useDeps()
  const filter = { status: query.status, player: query.player || undefined, cursor: query.cursor || undefined }
  const wantsCsv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(getRequestHeader(event, 'accept') ?? ''))
  if (!wantsCsv) {
    const { rows, nextCursor } = await listTransactions(deps, license.id, filter, query.limit)
    return { transactions: rows.map(presentTransaction), next_cursor: nextCursor }
  }
  const chunks = transactionCsv(deps, license.id, filter)
  const day = deps.clock.now().toISOString().slice(0, 10)
  setResponseHeaders(event, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="cairn-transactions-${license.subdomain}-${day}.csv"`,
    'Cache-Control': 'no-store',
  })
  return sendIterable(event, chunks)
})
