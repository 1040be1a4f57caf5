import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import { storeTransactions } from '../../db/schema'
import type { TransactionStatus } from '../../../shared/contracts/enums'
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from '../../../shared/contracts/limits'
import { TRANSACTION_CSV_HEADER, type StoreTransaction, type StoreTransactionLine } from '../../../shared/contracts/webstore'
import { csvRow } from '../../platform/csv'
import type { Deps } from '../../platform/deps'
import { cursorTimestamp, decodeCursor, encodeCursor, pastPosition, takePage, type CursorPosition } from '../../platform/pagination'
import type { StoreTransactionLineRow } from '../../db/schema'
import { linesSummary, withLines, type TransactionWithLines } from './transaction-lines'

export interface TransactionFilter {
  status?: TransactionStatus
  player?: string
  cursor?: string
}

function conditions(licenseId: string, filter: TransactionFilter, after: CursorPosition | undefined): SQL | undefined {
  return and(
    eq(storeTransactions.licenseId, licenseId),
    filter.status ? eq(storeTransactions.status, filter.status) : undefined,
    filter.player ? sql`lower(${storeTransactions.playerName}) = lower(${filter.player})` : undefined,
    after ? pastPosition(storeTransactions.createdAt, storeTransactions.id, after, 'desc') : undefined,
  )
}

async function page(deps: Deps, licenseId: string, filter: TransactionFilter, after: CursorPosition | undefined, limit: number) {
  const rows = await deps.db.select({ row: storeTransactions, at: cursorTimestamp(storeTransactions.createdAt) }).from(storeTransactions)
    .where(conditions(licenseId, filter, after))
    .orderBy(desc(storeTransactions.createdAt), desc(storeTransactions.id))
    .limit(limit + 1)
  const page = takePage(rows, limit, r => ({ at: r.at, id: r.row.id }))
  return { rows: await withLines(deps, licenseId, page.rows.map(r => r.row)), next: page.next }
}

/** Newest first; `next_cursor` is null once the last page has been returned. */
export async function listTransactions(deps: Deps, licenseId: string, filter: TransactionFilter, limit = LIST_LIMIT_DEFAULT): Promise<{ rows: TransactionWithLines[], nextCursor: string | null }> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined
  const result = await page(deps, licenseId, filter, after, limit)
  return { rows: result.rows, nextCursor: result.next ? encodeCursor(result.next) : null }
}

/**
 * The whole filtered list as CSV, produced page by page so a large history is streamed instead
 * of held in memory. Same quoting and formula neutralisation as the billing CSV.
 */
export function transactionCsv(deps: Deps, licenseId: string, filter: TransactionFilter, batch = LIST_LIMIT_MAX): AsyncGenerator<string> {
  // Decoded before the first chunk so a bad cursor is a 400, not a broken download.
  const start = filter.cursor ? decodeCursor(filter.cursor) : undefined
  return (async function* () {
    yield csvRow(TRANSACTION_CSV_HEADER)
    let after = start
    for (;;) {
      const result = await page(deps, licenseId, filter, after, batch)
      if (result.rows.length > 0) {
        yield result.rows.map((row) => {
          const t = presentTransaction(row)
          return csvRow([t.id, t.created_at, t.item_id, t.item_name, t.player_name, t.player_uuid, t.quantity, t.amount_cents, t.currency, t.status, t.paypal_order_id, t.paid_at, t.delivered_at, linesSummary(row.lines), t.subtotal_cents, t.discount_cents, t.coupon_code])
        }).join('')
      }
      if (!result.next) return
      after = result.next
    }
  })()
}

export function presentTransaction(row: TransactionWithLines): StoreTransaction {
  return {
    id: row.id,
    item_id: row.itemId,
    item_name: row.itemName,
    player_name: row.playerName,
    player_uuid: row.playerUuid,
    quantity: row.quantity,
    lines: row.lines.map(presentLine),
    subtotal_cents: row.subtotalCents,
    discount_cents: row.discountCents,
    coupon_code: row.couponCode,
    amount_cents: row.amountCents,
    currency: row.currency,
    status: row.status,
    paypal_order_id: row.paypalOrderId,
    created_at: row.createdAt.toISOString(),
    paid_at: row.paidAt?.toISOString() ?? null,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    source: row.source,
    refunded_at: row.refundedAt?.toISOString() ?? null,
    ends_at: row.endsAt?.toISOString() ?? null,
    ended_at: row.endedAt?.toISOString() ?? null,
  }
}

function presentLine(line: StoreTransactionLineRow): StoreTransactionLine {
  return {
    item_id: line.itemId,
    name: line.itemName,
    quantity: line.quantity,
    unit_price_cents: line.unitPriceCents,
    regular_price_cents: line.regularUnitPriceCents,
    line_cents: line.lineCents,
    discount_cents: line.discountCents,
  }
}
