import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db'
import { storeTransactions, type StoreTransactionRow } from '../../db/schema'
import type { AppKeys } from '../../platform/app-secret'
import { NotFound, Unavailable } from '../../platform/errors'
import { resourceId } from '../webstore/fields'
import type { Logger } from '../../platform/logger'
import { PayPalError } from '../../integrations/paypal/client'
import { capturePayPalOrder, getPayPalOrder } from '../../integrations/paypal/orders'
import { storeCredentials } from './credentials'
import type { OpenStore } from './storefront'
import { settleFromOrder } from './settle'

// The storefront's return page calls this after PayPal sends the buyer back. Idempotent: any
// number of calls, concurrent or repeated, settle the transaction once.

export interface CaptureDeps {
  db: Db
  keys: AppKeys
  log: Logger
  now: () => Date
}

export async function findStoreTransaction(db: Db, licenseId: string, transactionId: string): Promise<StoreTransactionRow> {
  const [tx] = await db.select().from(storeTransactions)
    .where(and(eq(storeTransactions.id, resourceId(transactionId, 'Transaction')), eq(storeTransactions.licenseId, licenseId)))
  if (!tx) throw new NotFound('Transaction')
  return tx
}

export async function captureTransaction(deps: CaptureDeps, store: OpenStore, transactionId: string): Promise<{ transaction_id: string, status: string }> {
  const tx = await findStoreTransaction(deps.db, store.license.id, transactionId)
  const reply = (status: string) => ({ transaction_id: tx.id, status })
  if (tx.status !== 'pending' || !tx.paypalOrderId) return reply(tx.status)
  const credentials = storeCredentials(deps.keys, store.config, tx)
  if (!credentials) throw new Unavailable('This store cannot take payments right now')
  try {
    await capturePayPalOrder(credentials, tx.paypalOrderId, `capture-${tx.id}`)
  }
  catch (error) {
    // Not approved yet (the buyer came back without paying): still pending, nothing to do.
    if (error instanceof PayPalError && (error.has('ORDER_NOT_APPROVED') || error.has('PAYER_ACTION_REQUIRED'))) return reply('pending')
    if (!(error instanceof PayPalError) || error.statusCode === 0 || error.statusCode >= 500) {
      deps.log.warn('paypal capture failed', { license_id: store.license.id, transaction_id: tx.id, error: (error as Error).message })
      throw new Unavailable('PayPal is not reachable right now; your payment will be confirmed shortly.')
    }
    deps.log.warn('paypal capture refused', { license_id: store.license.id, transaction_id: tx.id, error: error.message })
  }
  // Trust only the order as PayPal reports it when asked directly with the store's credentials.
  let order
  try {
    order = await getPayPalOrder(credentials, tx.paypalOrderId)
  }
  catch (error) {
    deps.log.warn('paypal order fetch failed', { license_id: store.license.id, transaction_id: tx.id, error: (error as Error).message })
    throw new Unavailable('PayPal is not reachable right now; your payment will be confirmed shortly.')
  }
  await settleFromOrder(deps.db, tx, order, deps.now())
  const fresh = await findStoreTransaction(deps.db, store.license.id, tx.id)
  return reply(fresh.status)
}

export function presentPublicTransaction(tx: StoreTransactionRow) {
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
