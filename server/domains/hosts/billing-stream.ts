import type { Host } from '../../db/schema'
import { BILLING_CSV_HEADER } from '../../../shared/contracts/host'
import { csvRow } from '../../platform/csv'
import type { Deps } from '../../platform/deps'
import { iterateInSnapshot } from '../../platform/snapshot'
import { countBillable, csvLines, jsonLines, lineChunks } from './billing-lines-sql'
import { resolveMonth } from './billing-months'
import { presentBillingReport, reportHead } from './billing-report'

// The API's billing answers: text chunks streamed as the client takes them, read from one
// REPEATABLE READ snapshot so the totals always match the lines; memory stays at a page of text
// whatever the number of lines.

/**
 * API.md's BillingReport as JSON text chunks, byte for byte what `JSON.stringify(billingReport(...))`
 * gives: the head (a live month's totals counted in SQL), then the lines a page at a time. Resolves
 * the month (and freezes a closed one) before the first chunk, so input errors still become a 400.
 */
export async function billingJson(deps: Deps, host: Host, month: string): Promise<AsyncGenerator<string>> {
  const head = await reportHead(deps, host, resolveMonth(deps, month))
  return iterateInSnapshot(deps.db, async function* (db) {
    const source = head.source
    const total = head.billableLicenses ?? (source.kind === 'live' ? await countBillable(db, source.hostId, source.range) : 0)
    const empty = JSON.stringify(presentBillingReport({ ...head, billableLicenses: total, amountCents: head.amountCents ?? total * head.rateCents }, []))
    if (!empty.endsWith('[]}')) throw new Error('BillingReport must end with its lines')
    yield empty.slice(0, -2)
    let separator = ''
    for await (const page of lineChunks(db, source, jsonLines(head.rateCents))) {
      yield separator + page
      separator = ','
    }
    yield ']}'
  })
}

export function billingCsvFilename(month: string): string {
  return `cairn-billing-${month}.csv`
}

/**
 * The report as CSV chunks: the header, then one chunk per page of lines. Resolves the month
 * (and freezes a closed one) before the first chunk, so input errors still become a 400.
 */
export async function billingCsv(deps: Deps, host: Host, month: string): Promise<AsyncGenerator<string>> {
  const head = await reportHead(deps, host, resolveMonth(deps, month))
  return iterateInSnapshot(deps.db, async function* (db) {
    yield csvRow(BILLING_CSV_HEADER)
    yield * lineChunks(db, head.source, csvLines(head.rateCents, head.currency))
  })
}
