import type { StoreTransactionRow } from '../../db/schema'
import { InvalidInput } from '../../platform/errors'
import type { PayPalOrderView } from '../../integrations/paypal/client'
import { markFailed, markPaid, markReturned } from './transitions'
import type { StoreWebhookOutcome } from '../../../shared/contracts/enums'
import type { Deps } from '../../platform/deps'

// Applies what PayPal says about an order to its transaction. Only an order fetched from PayPal
// with the store's own credentials gets here, and only when it matches the transaction exactly.

export class PaymentMismatch extends InvalidInput {
  constructor(reason: string) {
    super([{ path: 'order', message: reason }], `Payment could not be verified: ${reason}`)
  }
}

/** The order must be ours: custom_id = transaction id, same amount and currency (order and capture). */
export function assertOrderMatches(tx: StoreTransactionRow, order: PayPalOrderView): void {
  if (tx.paypalOrderId && order.id !== tx.paypalOrderId) throw new PaymentMismatch('order id differs')
  if (order.customId !== tx.id) throw new PaymentMismatch('order belongs to another transaction')
  if (order.amountCents !== tx.amountCents || order.currency !== tx.currency) throw new PaymentMismatch('amount or currency differs')
  if (order.capture && (order.capture.amountCents !== tx.amountCents || order.capture.currency !== tx.currency)) {
    throw new PaymentMismatch('captured amount or currency differs')
  }
}

export type SettleOutcome = Exclude<StoreWebhookOutcome, 'duplicate' | 'ignored'>

export async function settleFromOrder(deps: Deps, tx: StoreTransactionRow, order: PayPalOrderView): Promise<SettleOutcome> {
  assertOrderMatches(tx, order)
  const capture = order.capture
  if (!capture) return 'unchanged'
  switch (capture.status) {
    case 'COMPLETED':
      return (await markPaid(deps, tx.licenseId, tx.id, capture.id)).changed ? 'paid' : 'unchanged'
    case 'DECLINED':
    case 'FAILED':
      return (await markFailed(deps, tx.licenseId, tx.id, `PayPal capture ${capture.status.toLowerCase()}`)) ? 'failed' : 'unchanged'
    case 'REFUNDED':
    case 'PARTIALLY_REFUNDED':
    case 'REVERSED': {
      // Returned before Cairn saw it paid: one step to refunded/reversed, never a delivery.
      const status = capture.status === 'REVERSED' ? 'reversed' : 'refunded'
      return (await markReturned(deps, tx.licenseId, tx.id, status)) ? status : 'unchanged'
    }
    default:
      return 'unchanged'
  }
}
