import { and, asc, eq, inArray } from 'drizzle-orm'
import { storeTransactionLines, type StoreTransactionLineRow, type StoreTransactionRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'

// A transaction's basket lines, read in one query for a whole page of transactions.

export type TransactionWithLines = StoreTransactionRow & { lines: StoreTransactionLineRow[] }

/** Attaches every row's lines (basket order); one query however many rows. */
export async function withLines(deps: Deps, licenseId: string, rows: StoreTransactionRow[]): Promise<TransactionWithLines[]> {
  if (rows.length === 0) return []
  const lines = await deps.db.select().from(storeTransactionLines)
    .where(and(eq(storeTransactionLines.licenseId, licenseId), inArray(storeTransactionLines.transactionId, rows.map(r => r.id))))
    .orderBy(asc(storeTransactionLines.transactionId), asc(storeTransactionLines.position))
  const byTx = new Map<string, StoreTransactionLineRow[]>()
  for (const line of lines) {
    const list = byTx.get(line.transactionId) ?? []
    list.push(line)
    byTx.set(line.transactionId, list)
  }
  return rows.map(row => ({ ...row, lines: byTx.get(row.id) ?? [] }))
}

/** `a x2; b x1` — the lines in one CSV cell. */
export function linesSummary(lines: StoreTransactionLineRow[]): string {
  return lines.map(l => `${l.itemName} x${l.quantity}`).join('; ')
}
