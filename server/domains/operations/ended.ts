import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm'
import { storeItems, storeTransactionLines, storeTransactions, type StoreTransactionRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { notifyOutbox } from '../agent/signal'
import { queueLineDelivery } from './deliveries'
import { PAID_STATUSES } from '../../../shared/contracts/enums'

// Timed purchases ("VIP for 30 days"): `ends_at` is fixed when the order is paid, and a sweep on
// every replica queues the revoke commands once it passes. Rows are claimed with FOR UPDATE SKIP
// LOCKED and `ended_at` is set in the same transaction as the delivery, so two replicas never
// end the same purchase twice.

/**
 * Sets `ends_at` = paid_at + the longest duration among the order's lines (null when no line is
 * timed). Called in the transaction that marks the order paid.
 */
export async function fixEndsAt(deps: Deps, tx: StoreTransactionRow): Promise<void> {
  const [longest] = await deps.db.select({ days: sql<number | null>`max(${storeItems.durationDays})` }).from(storeTransactionLines)
    .innerJoin(storeItems, eq(storeItems.id, storeTransactionLines.itemId))
    .where(and(eq(storeTransactionLines.transactionId, tx.id), eq(storeTransactionLines.licenseId, tx.licenseId)))
  const days = longest?.days ?? null
  if (days === null || tx.paidAt === null) return
  await deps.db.update(storeTransactions).set({ endsAt: new Date(tx.paidAt.getTime() + Number(days) * 86_400_000) })
    .where(and(eq(storeTransactions.id, tx.id), eq(storeTransactions.licenseId, tx.licenseId)))
}

/** Ends up to `batch` timed purchases whose time has come; returns how many it ended. */
export async function endTimedPurchases(deps: Deps, batch = 100): Promise<number> {
  const ended = await deps.db.transaction(async (t) => {
    const now = deps.clock.now()
    const due = await t.select().from(storeTransactions)
      .where(and(lte(storeTransactions.endsAt, now), isNull(storeTransactions.endedAt), inArray(storeTransactions.status, [...PAID_STATUSES])))
      .orderBy(storeTransactions.endsAt)
      .limit(batch)
      .for('update', { skipLocked: true })
    for (const tx of due) {
      await t.update(storeTransactions).set({ endedAt: now, updatedAt: now })
        .where(and(eq(storeTransactions.id, tx.id), eq(storeTransactions.licenseId, tx.licenseId)))
      await queueLineDelivery({ ...deps, db: t }, tx, 'expiry', 'revoke_commands', true)
    }
    return due.length
  })
  if (ended > 0) notifyOutbox()
  return ended
}
