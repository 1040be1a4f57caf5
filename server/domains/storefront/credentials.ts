import type { StoreConfigRow, StoreTransactionRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { paypalClient, type PayPalClient } from '../../integrations/paypal/client'
import { openPaypalSecret } from '../webstore/config'

/**
 * PayPal with the store owner's app, in the mode the transaction was made in (or the store's
 * current mode). Null when the store has no complete credentials, or for demo mode.
 */
export function storePayPal(deps: Pick<Deps, 'keys' | 'env'>, config: StoreConfigRow, tx?: Pick<StoreTransactionRow, 'paypalMode'>): PayPalClient | null {
  const mode = tx?.paypalMode ?? config.paypalMode
  // A demo payment never had a PayPal order (demo-payment.ts).
  if (mode === 'demo') return null
  const secret = openPaypalSecret(deps, config)
  if (!config.paypalClientId || !secret) return null
  return paypalClient({ clientId: config.paypalClientId, clientSecret: secret, mode }, { apiBase: deps.env.paypalApiBase })
}
