import { and, eq } from 'drizzle-orm'
import { storeTransactions, type DeliveryRow, type StoreTransactionRow } from '../../db/schema'
import { Conflict, NotFound, Unavailable } from '../../platform/errors'
import type { Deps } from '../../platform/deps'
import { refusedByPayPal } from '../../integrations/paypal/client'
import { notifyOutbox } from '../agent/signal'
import { storePayPal } from '../storefront/credentials'
import { markReturned } from '../storefront/transitions'
import { getStoreConfig } from '../webstore/config'
import { resourceId } from '../webstore/fields'
import { withLines, type TransactionWithLines } from '../webstore/transaction-lines'
import { recordAudit, type Actor } from './audit'
import { listTransactionDeliveries, queueLineDelivery } from './deliveries'
import { PAID_STATUSES } from '../../../shared/contracts/enums'

// What an owner does to one order: read its story, send its commands again, refund it.

/** Statuses whose purchase commands have been (or are being) delivered: resend and refund apply. */
const SETTLED = new Set<string>(PAID_STATUSES)

async function lockTransaction(deps: Deps, licenseId: string, transactionId: string): Promise<StoreTransactionRow> {
  const [tx] = await deps.db.select().from(storeTransactions)
    .where(and(eq(storeTransactions.id, resourceId(transactionId, 'Transaction')), eq(storeTransactions.licenseId, licenseId)))
    .for('update')
  if (!tx) throw new NotFound('Transaction')
  return tx
}

export async function getTransactionDetail(deps: Deps, licenseId: string, transactionId: string): Promise<{ transaction: TransactionWithLines, deliveries: DeliveryRow[] }> {
  const [tx] = await deps.db.select().from(storeTransactions)
    .where(and(eq(storeTransactions.id, resourceId(transactionId, 'Transaction')), eq(storeTransactions.licenseId, licenseId)))
  if (!tx) throw new NotFound('Transaction')
  const [withItsLines] = await withLines(deps, licenseId, [tx])
  return { transaction: withItsLines!, deliveries: await listTransactionDeliveries(deps, licenseId, tx.id) }
}

function assertSettled(tx: StoreTransactionRow, action: string): void {
  if (!SETTLED.has(tx.status) || tx.paidAt === null) {
    throw new Conflict(`Only a paid, delivered or failed order can be ${action} (this one is ${tx.status})`, { status: tx.status })
  }
}

/** A new delivery of the purchase commands (reason `resend`); any number of them may exist. */
export async function resendTransaction(deps: Deps, licenseId: string, transactionId: string, actor: Actor): Promise<DeliveryRow> {
  const row = await deps.db.transaction(async (t) => {
    const txDeps = { ...deps, db: t }
    const tx = await lockTransaction(txDeps, licenseId, transactionId)
    assertSettled(tx, 'sent again')
    const delivery = await queueLineDelivery(txDeps, tx, 'resend', 'commands')
    if (!delivery) throw new Conflict('This order has no commands to send', { status: tx.status })
    await recordAudit(txDeps, licenseId, actor, 'transaction.resend', tx.id, { delivery_id: delivery.id })
    return delivery
  })
  notifyOutbox()
  return row
}

/**
 * Refunds the capture in full at PayPal, then marks the order refunded and queues its revoke
 * commands. The row lock is held across the PayPal call, so concurrent clicks wait and then see
 * `refunded` (409): PayPal is asked once. The request id is fixed per transaction, so a retry
 * after a crash gets PayPal's first refund back instead of a second one.
 */
export async function refundTransaction(deps: Deps, licenseId: string, transactionId: string, actor: Actor): Promise<TransactionWithLines> {
  const refunded = await deps.db.transaction(async (t) => {
    const txDeps = { ...deps, db: t }
    const tx = await lockTransaction(txDeps, licenseId, transactionId)
    assertSettled(tx, 'refunded')
    if (tx.source !== 'purchase' || !tx.paypalCaptureId) throw new Conflict('This order has no PayPal payment to refund (a grant, or paid without a capture)', { status: tx.status })
    const config = await getStoreConfig(txDeps, licenseId)
    const paypal = config ? storePayPal(deps, config, tx) : null
    if (!paypal) throw new Conflict('The store has no PayPal credentials to refund with', { status: tx.status })
    try {
      const refund = await paypal.refundCapture(tx.paypalCaptureId, { requestId: `cairn-refund-${tx.id}`, noteToPayer: 'Refunded by the store' })
      if (refund.status === 'FAILED' || refund.status === 'CANCELLED') throw new Conflict(`PayPal did not refund the payment (${refund.status.toLowerCase()})`, { status: tx.status })
    }
    catch (error) {
      if (error instanceof Conflict) throw error
      // Already refunded at PayPal (from PayPal's own dashboard): record it here as well.
      if (refusedByPayPal(error) && !error.has('CAPTURE_FULLY_REFUNDED')) throw new Conflict(`PayPal refused the refund: ${error.message}`, { status: tx.status })
      if (!refusedByPayPal(error)) {
        deps.log.warn('paypal unreachable during refund', { license_id: licenseId, transaction_id: tx.id, error: (error as Error).message })
        throw new Unavailable('PayPal is not reachable right now; nothing was refunded, try again shortly')
      }
    }
    await markReturned(txDeps, licenseId, tx.id, 'refunded')
    await recordAudit(txDeps, licenseId, actor, 'transaction.refund', tx.id, { amount_cents: tx.amountCents, currency: tx.currency })
    const [fresh] = await withLines(txDeps, licenseId, [await lockTransaction(txDeps, licenseId, tx.id)])
    return fresh!
  })
  notifyOutbox()
  return refunded
}
