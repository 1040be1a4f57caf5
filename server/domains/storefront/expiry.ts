import { sql } from 'drizzle-orm'
import type { Deps } from '../../platform/deps'

// Pending purchases expire after 30 minutes and give back the stock they reserved. One
// statement per batch: SKIP LOCKED lets every replica run it, a capture in flight keeps its row.

export async function expirePendingTransactions(deps: Deps, batch = 500): Promise<number> {
  const now = deps.clock.now()
  const rows = await deps.db.execute(sql`
    with expired as (
      update store_transactions t
         set status = 'expired', stock_reserved = false, updated_at = ${now.toISOString()}::timestamptz
        from (select id, stock_reserved from store_transactions
               where status = 'pending' and expires_at <= ${now.toISOString()}::timestamptz
               order by expires_at
               limit ${batch}
               for update skip locked) old
       where t.id = old.id and t.status = 'pending'
      returning t.item_id, t.quantity, old.stock_reserved as was_reserved
    ), released as (
      update store_items i
         set stock = i.stock + r.quantity
        from (select item_id, sum(quantity)::int as quantity from expired where was_reserved group by item_id) r
       where i.id = r.item_id and i.stock is not null
      returning i.id
    )
    select count(*)::int as n from expired`)
  const first = (Array.isArray(rows) ? rows[0] : (rows as { rows?: unknown[] }).rows?.[0]) as { n?: number } | undefined
  return first?.n ?? 0
}
