import { and, eq, inArray } from 'drizzle-orm'
import { storeTransactions, type StoreTransactionRow } from '../../db/schema'
import { cancelUnsentDelivery } from '../agent/outbox'
import { queueLineDelivery } from '../operations/deliveries'
import { notifyOutbox } from '../agent/signal'
import { releaseReservedStock, retakeStock } from './line-stock'
import type { Deps } from '../../platform/deps'
import { afterPaid, afterReturned } from '../operations/paid'

// The payment state machine: pending → paid → delivered; failed, expired, refunded, reversed.
// Every transition is one conditional UPDATE (the WHERE names the states it leaves), so a
// replayed webhook or a concurrent capture finds nothing to change.

export interface PaidResult {
  changed: boolean
  transaction: StoreTransactionRow | undefined
}

/**
 * What a transaction that just became paid sets off, inside the database transaction that made it
 * paid: its one delivery (every line's commands in basket order) and the after-sale hooks.
 */
export async function onPaid(deps: Deps, row: StoreTransactionRow): Promise<void> {
  await queueLineDelivery(deps, row, 'purchase', 'commands')
  await afterPaid(deps, row)
}

/**
 * pending (or expired: PayPal took the money after our 30 minutes) → paid, and the delivery row,
 * in one database transaction. Exactly one caller ever sees `changed: true`.
 */
export async function markPaid(deps: Deps, licenseId: string, transactionId: string, captureId: string | null): Promise<PaidResult> {
  const now = deps.clock.now()
  const result = await deps.db.transaction(async (t) => {
    const where = (status: 'pending' | 'expired') => and(eq(storeTransactions.id, transactionId), eq(storeTransactions.licenseId, licenseId), eq(storeTransactions.status, status))
    const set = { status: 'paid' as const, paidAt: now, paypalCaptureId: captureId, updatedAt: now }
    let [row] = await t.update(storeTransactions).set(set).where(where('pending')).returning()
    if (!row) {
      ;[row] = await t.update(storeTransactions).set({ ...set, stockReserved: false }).where(where('expired')).returning()
      // The expiry gave its units back; take them again.
      if (row) await retakeStock({ ...deps, db: t }, licenseId, row.id)
    }
    if (!row) return { changed: false, transaction: undefined }
    await onPaid({ ...deps, db: t }, row)
    return { changed: true, transaction: row }
  })
  if (result.changed) notifyOutbox()
  return result
}

/** pending → failed (PayPal declined, or the order could not be created); gives stock back. */
export async function markFailed(deps: Deps, licenseId: string, transactionId: string, reason: string): Promise<boolean> {
  return deps.db.transaction(async (t) => {
    const [locked] = await t.select({ id: storeTransactions.id })
      .from(storeTransactions)
      .where(and(eq(storeTransactions.id, transactionId), eq(storeTransactions.licenseId, licenseId), eq(storeTransactions.status, 'pending')))
      .for('update')
    if (!locked) return false
    await t.update(storeTransactions)
      .set({ status: 'failed', failureReason: reason.slice(0, 500), stockReserved: false, updatedAt: deps.clock.now() })
      .where(and(eq(storeTransactions.id, transactionId), eq(storeTransactions.licenseId, licenseId)))
    await releaseReservedStock({ ...deps, db: t }, licenseId, transactionId)
    return true
  })
}

/**
 * paid/delivered/failed → refunded or reversed; a delivery that has not left yet is cancelled and
 * the items' revoke commands are queued (once per transaction). A pending
 * or expired transaction whose money came and went before Cairn saw it paid goes straight to
 * refunded/reversed in one step: it is never marked paid, so no delivery is ever queued for it.
 */
export async function markReturned(deps: Deps, licenseId: string, transactionId: string, status: 'refunded' | 'reversed'): Promise<boolean> {
  return deps.db.transaction(async (t) => {
    const txDeps = { ...deps, db: t }
    const [before] = await t.select().from(storeTransactions)
      .where(and(eq(storeTransactions.id, transactionId), eq(storeTransactions.licenseId, licenseId), inArray(storeTransactions.status, ['pending', 'expired', 'paid', 'delivered', 'failed'])))
      .for('update')
    if (!before || (before.status === 'failed' && before.paidAt === null)) return false
    const now = deps.clock.now()
    await t.update(storeTransactions).set({ status, stockReserved: false, refundedAt: now, updatedAt: now })
      .where(and(eq(storeTransactions.id, transactionId), eq(storeTransactions.licenseId, licenseId)))
    if (before.status === 'pending') await releaseReservedStock(txDeps, licenseId, transactionId)
    await cancelUnsentDelivery(txDeps, licenseId, transactionId, `transaction ${status} before delivery`)
    await afterReturned(txDeps, before)
    return true
  })
}
