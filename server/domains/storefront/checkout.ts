import { and, eq } from 'drizzle-orm'
import { storeTransactions } from '../../db/schema'
import { Unavailable } from '../../platform/errors'
import type { Deps } from '../../platform/deps'
import type { Basket, CheckoutResult } from '../../../shared/contracts/commerce'
import { notifyOutbox } from '../agent/signal'
import { reserveBasket, type BasketOptions } from './basket'
import { storePayPal } from './credentials'
import type { OpenStore } from './storefront'
import { markFailed, onPaid } from './transitions'
import { demoApprovalUrl, demoPaymentsAllowed, refuseDemoPayment } from './demo-payment'

// A checkout: the basket reserved all-or-nothing, then ONE PayPal order carrying every line and
// the discount (PayPal shows both to the buyer). A basket whose total is 0 is paid at once; a
// demo-mode store's buyer approves on Cairn's own page instead (demo-payment.ts).

export interface StorefrontUrls {
  /** Where PayPal sends the buyer back: `<storefront>/return?tx=<id>` and `/cancel?tx=<id>`. */
  storefrontBase: string
}

export async function createCheckout(deps: Deps, store: OpenStore, basket: Basket, urls: StorefrontUrls, options: BasketOptions = {}): Promise<CheckoutResult> {
  const demo = store.config.paypalMode === 'demo'
  if (demo && !demoPaymentsAllowed(deps, store.config)) refuseDemoPayment()
  const paypal = demo ? null : storePayPal(deps, store.config)
  if (!demo && !paypal) throw new Unavailable('This store cannot take payments right now')
  const { transaction: tx, priced } = await reserveBasket(deps, store, basket, options, onPaid)
  const result = { transaction_id: tx.id, subtotal_cents: tx.subtotalCents, discount_cents: tx.discountCents, amount_cents: tx.amountCents, currency: tx.currency }
  if (tx.status === 'paid') {
    notifyOutbox()
    return { ...result, status: 'paid', approval_url: null }
  }
  if (!paypal) {
    // Demo mode: no PayPal order; the buyer approves on Cairn's own page.
    const approvalUrl = demoApprovalUrl(urls.storefrontBase, tx.id)
    await deps.db.update(storeTransactions).set({ approvalUrl, updatedAt: deps.clock.now() })
      .where(and(eq(storeTransactions.id, tx.id), eq(storeTransactions.licenseId, store.license.id)))
    return { ...result, status: 'pending', approval_url: approvalUrl }
  }
  try {
    const order = await paypal.createOrder({
      transactionId: tx.id,
      amountCents: tx.amountCents,
      currency: tx.currency,
      description: priced.lines.map(l => `${l.item.name} x${l.quantity}`).join(', ') + ` for ${tx.playerName}`,
      brandName: store.config.name,
      returnUrl: `${urls.storefrontBase}/return?tx=${tx.id}`,
      cancelUrl: `${urls.storefrontBase}/cancel?tx=${tx.id}`,
      items: priced.lines.map(l => ({ name: l.item.name, quantity: l.quantity, unitAmountCents: l.unitCents, sku: l.item.id })),
      discountCents: tx.discountCents,
    })
    await deps.db.update(storeTransactions).set({ paypalOrderId: order.id, approvalUrl: order.approvalUrl, updatedAt: deps.clock.now() })
      .where(and(eq(storeTransactions.id, tx.id), eq(storeTransactions.licenseId, store.license.id)))
    return { ...result, status: 'pending', approval_url: order.approvalUrl }
  }
  catch (error) {
    deps.log.warn('paypal order create failed', { license_id: store.license.id, transaction_id: tx.id, error: (error as Error).message })
    await markFailed(deps, store.license.id, tx.id, 'PayPal order could not be created')
    throw new Unavailable('PayPal could not start the payment; nothing was charged. Please try again in a moment.')
  }
}
