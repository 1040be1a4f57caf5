import { sql } from 'drizzle-orm'
import type { Deps } from '../../platform/deps'

// Pending checkouts expire after 30 minutes and give back the stock their lines reserved; their
// coupon use and purchase-limit quantities stop counting with the status change. One
// statement per batch: SKIP LOCKED lets every replica run it, a capture in flight keeps its row.

export async function expirePendingTransactions(deps: Deps, batch = 500): Promise<number> {
  const now = deps.clock.now()
  const rows = await deps.db.execute(sql`
    with expired as (
      update store_transactions t
         set status = 'expired', stock_reserved = false, updated_at = ${now.toISOString()}::timestamptz
        from (select id from store_transactions
               where status = 'pending' and expires_at <= ${now.toISOString()}::timestamptz
               order by expires_at
               limit ${batch}
               for update skip locked) old
       where t.id = old.id and t.status = 'pending'
      returning t.id
    ), unreserved as (
      update store_transaction_lines l
         set stock_reserved = false
        from expired e
       where l.transaction_id = e.id and l.stock_reserved
      returning l.item_id, l.quantity
    ), released as (
      update store_items i
         set stock = i.stock + r.quantity
        from (select item_id, sum(quantity)::int as quantity from unreserved group by item_id) r
       where i.id = r.item_id and i.stock is not null
      returning i.id
    )
    select count(*)::int as n from expired`)
  const first = (Array.isArray(rows) ? rows[0] : (rows as { rows?: unknown[] }).rows?.[0]) as { n?: number } | undefined
  return first?.n ?? 0
}
