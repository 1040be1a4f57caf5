import type { StoreConfigRow, StoreTransactionRow } from '../../db/schema'
import type { AppKeys } from '../../platform/app-secret'
import type { PayPalCredentials } from '../../integrations/paypal/client'
import { openPaypalSecret } from '../webstore/config'

/**
 * The store owner's PayPal app, for the mode the transaction was made in (or the store's
 * current mode). Null when the store has no complete credentials.
 */
export function storeCredentials(keys: AppKeys, config: StoreConfigRow, tx?: Pick<StoreTransactionRow, 'paypalMode'>): PayPalCredentials | null {
  const secret = openPaypalSecret(keys.seal, config)
  if (!config.paypalClientId || !secret) return null
  return { clientId: config.paypalClientId, clientSecret: secret, mode: tx?.paypalMode ?? config.paypalMode }
}
