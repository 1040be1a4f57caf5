import { and, eq } from 'drizzle-orm'
import { storeTransactions, type StoreTransactionRow } from '../../db/schema'
import { NotFound, Unavailable } from '../../platform/errors'
import { resourceId } from '../webstore/fields'
import type { Deps } from '../../platform/deps'
import { storePayPal } from './credentials'
import type { OpenStore } from './storefront'
import { settleFromOrder } from './settle'
import { captureDemoPayment } from './demo-payment'
import type { TransactionStatus } from '../../../shared/contracts/enums'
import type { CaptureResult, PublicTransaction } from '../../../shared/contracts/storefront'

// The storefront's return page calls this after PayPal sends the buyer back. Idempotent: any
// number of calls, concurrent or repeated, settle the transaction once.

export async function findStoreTransaction(deps: Deps, licenseId: string, transactionId: string): Promise<StoreTransactionRow> {
  const [tx] = await deps.db.select().from(storeTransactions)
    .where(and(eq(storeTransactions.id, resourceId(transactionId, 'Transaction')), eq(storeTransactions.licenseId, licenseId)))
  if (!tx) throw new NotFound('Transaction')
  return tx
}

export async function captureTransaction(deps: Deps, store: OpenStore, transactionId: string): Promise<CaptureResult> {
  const tx = await findStoreTransaction(deps, store.license.id, transactionId)
  const reply = (status: TransactionStatus): CaptureResult => ({ transaction_id: tx.id, status })
  if (tx.paypalMode === 'demo') {
    await captureDemoPayment(deps, store.config, tx)
    return reply((await findStoreTransaction(deps, store.license.id, tx.id)).status)
  }
  if (tx.status !== 'pending' || !tx.paypalOrderId) return reply(tx.status)
  const paypal = storePayPal(deps, store.config, tx)
  if (!paypal) throw new Unavailable('This store cannot take payments right now')
  const unreachable = (error: unknown) => {
    deps.log.warn('paypal unreachable during capture', { license_id: store.license.id, transaction_id: tx.id, error: (error as Error).message })
    return new Unavailable('PayPal is not reachable right now; your payment will be confirmed shortly.')
  }
  try {
    const outcome = await paypal.captureOrder(tx.paypalOrderId, `capture-${tx.id}`)
    // Not approved yet (the buyer came back without paying): still pending, nothing to do.
    if (!outcome.captured && outcome.reason === 'not_approved') return reply('pending')
    if (!outcome.captured) deps.log.warn('paypal capture refused', { license_id: store.license.id, transaction_id: tx.id, error: outcome.message })
  }
  catch (error) {
    throw unreachable(error)
  }
  // Trust only the order as PayPal reports it when asked directly with the store's credentials.
  let order
  try {
    order = await paypal.getOrder(tx.paypalOrderId)
  }
  catch (error) {
    throw unreachable(error)
  }
  await settleFromOrder(deps, tx, order)
  const fresh = await findStoreTransaction(deps, store.license.id, tx.id)
  return reply(fresh.status)
}

export function presentPublicTransaction(tx: StoreTransactionRow): PublicTransaction {
  return {
    transaction_id: tx.id,
    status: tx.status,
    item_name: tx.itemName,
    player_name: tx.playerName,
    quantity: tx.quantity,
    amount_cents: tx.amountCents,
    currency: tx.currency,
  }
}
