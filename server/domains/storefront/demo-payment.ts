import type { StoreConfigRow, StoreTransactionRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { Conflict, InvalidInput } from '../../platform/errors'
import { markPaid } from './transitions'

// The embedded demo's payment mode: Cairn's own approval page instead of PayPal, so a newcomer can
// finish a purchase without PayPal credentials. Only the store the demo seed created (the
// `demo_store` flag, which no API sets) and never with NODE_ENV=production, whatever a row says.

export const DEMO_MODE_REFUSED = '"demo" is only for the seeded demo store, and never in production'

/** May this store take demo payments right now? */
export function demoPaymentsAllowed(deps: Pick<Deps, 'env'>, config: Pick<StoreConfigRow, 'demoStore'>): boolean {
  return !deps.env.production && config.demoStore
}

/** The config PUT: `paypal_mode: "demo"` is refused unless this is the demo store outside production. */
export function assertPaypalModeAllowed(deps: Pick<Deps, 'env'>, mode: StoreConfigRow['paypalMode'], stored: Pick<StoreConfigRow, 'demoStore'> | undefined): void {
  if (mode === 'demo' && !(stored && demoPaymentsAllowed(deps, stored))) {
    throw new InvalidInput([{ path: 'paypal_mode', message: DEMO_MODE_REFUSED }])
  }
}

/** A store in demo mode that may not use it (production, or a row that is not the seeded one). */
export function refuseDemoPayment(): never {
  throw new Conflict('Demo payments are not available on this server')
}

/** Where the buyer approves a demo payment: `<storefront>/demo-pay/<transaction_id>`. */
export function demoApprovalUrl(storefrontBase: string, transactionId: string): string {
  return `${storefrontBase}/demo-pay/${transactionId}`
}

/**
 * Approve on the demo page: pending → paid through the same transition as a PayPal capture, so
 * the delivery is queued exactly once; repeated or concurrent calls change nothing more.
 */
export async function captureDemoPayment(deps: Deps, config: StoreConfigRow, tx: StoreTransactionRow): Promise<void> {
  if (tx.paypalMode !== 'demo') throw new Conflict('This order is not a demo payment')
  if (!demoPaymentsAllowed(deps, config)) refuseDemoPayment()
  if (tx.status !== 'pending') return
  await markPaid(deps, tx.licenseId, tx.id, `DEMO-${tx.id}`)
}
