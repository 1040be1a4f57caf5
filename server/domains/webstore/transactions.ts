import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { TRANSACTION_STATUSES, storeTransactions, type StoreTransactionRow } from '../../db/schema'
import type { StoreTransaction } from '../../../shared/contracts/webstore'
import { csvRow } from '../../platform/csv'
import { InvalidInput } from '../../platform/errors'

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 500

export const transactionQuerySchema = z.object({
  status: z.enum(TRANSACTION_STATUSES, { error: `must be one of ${TRANSACTION_STATUSES.join(', ')}` }).optional(),
  player: z.string({ error: 'must be given once' }).trim().max(64, 'must be at most 64 characters')
    .refine(v => !v.includes('\u0000'), 'must not contain NUL characters')
    .optional(),
  limit: z.string({ error: 'must be given once' })
    .regex(/^\d{1,6}$/, `must be an integer from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .refine(n => n >= 1 && n <= MAX_LIMIT, `must be an integer from 1 to ${MAX_LIMIT}`)
    .optional(),
  cursor: z.string({ error: 'must be given once' }).max(200, 'is not a valid cursor').optional(),
  format: z.enum(['json', 'csv'], { error: 'must be "json" or "csv"' }).optional(),
})
export type TransactionQuery = z.output<typeof transactionQuerySchema>

interface CursorPosition {
  /** created_at with PostgreSQL's microsecond precision (a JS Date would round it). */
  createdAt: string
  id: string
}

const CURSOR_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

/** Opaque to clients: base64url of `<created_at µs>|<id>`, the keyset of the last row returned. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`, 'utf8').toString('base64url')
}

function isRealTimestamp(micros: string): boolean {
  const ms = Date.parse(micros)
  return !Number.isNaN(ms) && !micros.startsWith('0000') && new Date(ms).toISOString().slice(0, 19) === micros.slice(0, 19)
}

export function decodeCursor(cursor: string): CursorPosition {
  const match = /^[A-Za-z0-9_-]+$/.test(cursor) ? CURSOR_RE.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null
  // Must name a real instant PostgreSQL accepts: Date.parse rolls Feb 30 or 24:00 over, PostgreSQL refuses them (500).
  if (!match?.[1] || !match[2] || !isRealTimestamp(match[1])) {
    throw new InvalidInput([{ path: 'cursor', message: 'is not a valid cursor: use next_cursor from a previous page' }])
  }
  return { createdAt: match[1], id: match[2] }
}

export interface TransactionFilter {
  status?: TransactionStatusFilter
  player?: string
  cursor?: string
}
type TransactionStatusFilter = typeof TRANSACTION_STATUSES[number]

const createdAtMicros = sql<string>`to_char(${storeTransactions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

function conditions(licenseId: string, filter: TransactionFilter, after: CursorPosition | undefined): SQL | undefined {
  return and(
    eq(storeTransactions.licenseId, licenseId),
    filter.status ? eq(storeTransactions.status, filter.status) : undefined,
    filter.player ? sql`lower(${storeTransactions.playerName}) = lower(${filter.player})` : undefined,
    after ? sql`(${storeTransactions.createdAt}, ${storeTransactions.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : undefined,
  )
}

async function page(db: Db, licenseId: string, filter: TransactionFilter, after: CursorPosition | undefined, limit: number) {
  const rows = await db.select({ row: storeTransactions, position: createdAtMicros }).from(storeTransactions)
    .where(conditions(licenseId, filter, after))
    .orderBy(desc(storeTransactions.createdAt), desc(storeTransactions.id))
    .limit(limit + 1)
  const more = rows.length > limit
  const kept = more ? rows.slice(0, limit) : rows
  const last = kept.at(-1)
  return {
    rows: kept.map(r => r.row),
    next: more && last ? { createdAt: last.position, id: last.row.id } : undefined,
  }
}

/** Newest first; `next_cursor` is null once the last page has been returned. */
export async function listTransactions(db: Db, licenseId: string, filter: TransactionFilter, limit = DEFAULT_LIMIT): Promise<{ rows: StoreTransactionRow[], nextCursor: string | null }> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined
  const result = await page(db, licenseId, filter, after, limit)
  return { rows: result.rows, nextCursor: result.next ? encodeCursor(result.next) : null }
}

export const TRANSACTION_CSV_HEADER = [
  'id', 'created_at', 'item_id', 'item_name', 'player_name', 'player_uuid', 'quantity',
  'amount_cents', 'currency', 'status', 'paypal_order_id', 'paid_at', 'delivered_at',
] as const

/**
 * The whole filtered list as CSV, produced page by page so a large history is streamed instead
 * of held in memory. Same quoting and formula neutralisation as the billing CSV.
 */
export function transactionCsv(db: Db, licenseId: string, filter: TransactionFilter, batch = MAX_LIMIT): AsyncGenerator<string> {
  // Decoded before the first chunk so a bad cursor is a 400, not a broken download.
  const start = filter.cursor ? decodeCursor(filter.cursor) : undefined
  return (async function* () {
    yield csvRow(TRANSACTION_CSV_HEADER)
    let after = start
    for (;;) {
      const result = await page(db, licenseId, filter, after, batch)
      if (result.rows.length > 0) {
        yield result.rows.map((row) => {
          const t = presentTransaction(row)
          return csvRow([t.id, t.created_at, t.item_id, t.item_name, t.player_name, t.player_uuid, t.quantity, t.amount_cents, t.currency, t.status, t.paypal_order_id, t.paid_at, t.delivered_at])
        }).join('')
      }
      if (!result.next) return
      after = result.next
    }
  })()
}

export function presentTransaction(row: StoreTransactionRow): StoreTransaction {
  return {
    id: row.id,
    item_id: row.itemId,
    item_name: row.itemName,
    player_name: row.playerName,
    player_uuid: row.playerUuid,
    quantity: row.quantity,
    amount_cents: row.amountCents,
    currency: row.currency,
    status: row.status,
    paypal_order_id: row.paypalOrderId,
    created_at: row.createdAt.toISOString(),
    paid_at: row.paidAt?.toISOString() ?? null,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
  }
}
