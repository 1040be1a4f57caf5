import { and, eq } from 'drizzle-orm'
import { paypalWebhookEvents, storeTransactions } from '../../db/schema'
import { InvalidInput, Unavailable } from '../../platform/errors'
import type { Deps } from '../../platform/deps'
import { parseWebhookEvent, refusedByPayPal, type PayPalClient, type PayPalOrderView, type PayPalWebhookEvent, type WebhookHeaders } from '../../integrations/paypal/client'
import { storePayPal } from './credentials'
import type { OpenStore } from './storefront'
import { settleFromOrder } from './settle'
import { UUID_RE } from '../../../shared/rules/uuid'
import type { StoreWebhookOutcome } from '../../../shared/contracts/enums'

// PayPal's webhook for a store owner's app, the backup path to the return page. The event is a
// hint only: Cairn verifies the signature (when the owner set a webhook id), then fetches the order
// with the store's credentials and acts on that. A replayed event id is a no-op.

export type WebhookOutcome = StoreWebhookOutcome

const unverifiable = (message: string) => new InvalidInput([{ path: 'body', message }], `Webhook rejected: ${message}`)

/** `rawBody` is the request body as received: signature verification sends it to PayPal verbatim. */
export async function handleStoreWebhook(deps: Deps, store: OpenStore, headers: WebhookHeaders, body: unknown, rawBody?: string): Promise<{ outcome: WebhookOutcome }> {
  const event = parseWebhookEvent(body)
  if (!event) throw unverifiable('not a PayPal webhook event')
  const scope = `license:${store.license.id}`
  const [seen] = await deps.db.select({ id: paypalWebhookEvents.id }).from(paypalWebhookEvents)
    .where(and(eq(paypalWebhookEvents.scope, scope), eq(paypalWebhookEvents.eventId, event.id)))
  if (seen) return { outcome: 'duplicate' }

  const paypal = storePayPal(deps, store.config)
  if (!paypal) throw unverifiable('the store has no PayPal credentials')
  if (store.config.paypalWebhookId) {
    let genuine: boolean
    try {
      genuine = await paypal.verifyWebhookSignature(store.config.paypalWebhookId, headers, event.raw, rawBody)
    }
    catch (error) {
      if (refusedByPayPal(error)) genuine = false
      else throw new Unavailable('PayPal could not verify the webhook right now')
    }
    if (!genuine) throw unverifiable('signature verification failed')
  }

  const outcome = await applyEvent(deps, store, event)
  await deps.db.insert(paypalWebhookEvents).values({ scope, eventId: event.id, eventType: event.type.slice(0, 100), outcome, receivedAt: deps.clock.now() })
    .onConflictDoNothing()
  return { outcome }
}

const RETURNED = new Set(['REFUNDED', 'PARTIALLY_REFUNDED', 'REVERSED'])

async function findEventTransaction(deps: Deps, store: OpenStore, event: PayPalWebhookEvent) {
  const find = async (orderId: string | null, captureId: string | null, customId: string | null) => {
    // By order id, else capture id, else custom_id (Cairn's transaction id): always within this store.
    const matches = [
      orderId ? eq(storeTransactions.paypalOrderId, orderId) : undefined,
      captureId ? eq(storeTransactions.paypalCaptureId, captureId) : undefined,
      customId && UUID_RE.test(customId) ? eq(storeTransactions.id, customId.toLowerCase()) : undefined,
    ]
    for (const match of matches) {
      if (!match) continue
      const [tx] = await deps.db.select().from(storeTransactions).where(and(match, eq(storeTransactions.licenseId, store.license.id)))
      if (tx) return tx
    }
    return undefined
  }
  const tx = await find(event.orderId, event.captureId, event.customId)
  if (tx || event.orderId || !event.captureId) return tx
  // A refund names only its capture, which Cairn may never have seen (captured and refunded at
  // PayPal before any return or webhook): ask PayPal, with this store's credentials, whose it is.
  const paypal = storePayPal(deps, store.config)
  const capture = paypal ? await paypal.getCapture(event.captureId).catch(() => null) : null
  return capture ? find(capture.orderId, null, capture.customId) : undefined
}

async function applyEvent(deps: Deps, store: OpenStore, event: PayPalWebhookEvent): Promise<WebhookOutcome> {
  if (!event.type.startsWith('CHECKOUT.ORDER.') && !event.type.startsWith('PAYMENT.CAPTURE.')) return 'ignored'
  const tx = await findEventTransaction(deps, store, event)
  // Not one of this store's orders (another sale on the owner's PayPal account): nothing to do.
  if (!tx?.paypalOrderId) return 'ignored'
  const paypal = storePayPal(deps, store.config, tx)!
  let order: PayPalOrderView
  try {
    order = await paypal.getOrder(tx.paypalOrderId)
  }
  catch (error) {
    if (refusedByPayPal(error)) throw unverifiable('the order is not known to PayPal for this store')
    throw new Unavailable('PayPal is not reachable right now')
  }
  // Approved but not captured (the buyer closed the tab before returning): capture now.
  if (order.status === 'APPROVED' && tx.status === 'pending') order = await captureThenRead(deps, paypal, tx.paypalOrderId, tx.id, order)
  // A refund or reversal may show on the capture before the order representation reflects it.
  if (order.capture && order.capture.status === 'COMPLETED' && (event.type === 'PAYMENT.CAPTURE.REFUNDED' || event.type === 'PAYMENT.CAPTURE.REVERSED')) {
    const capture = await paypal.getCapture(order.capture.id).catch(() => null)
    if (capture && capture.id === order.capture.id && RETURNED.has(capture.status)) order = { ...order, capture: { ...order.capture, status: capture.status } }
  }
  return settleFromOrder(deps, tx, order)
}

/** Captures, then reads the order back; a refused capture (declined, already captured) still reads back. */
async function captureThenRead(deps: Deps, paypal: PayPalClient, orderId: string, txId: string, before: PayPalOrderView): Promise<PayPalOrderView> {
  let outcome
  try {
    outcome = await paypal.captureOrder(orderId, `capture-${txId}`)
  }
  catch {
    throw new Unavailable('PayPal is not reachable right now')
  }
  if (!outcome.captured) deps.log.warn('paypal capture refused', { transaction_id: txId, error: outcome.message })
  try {
    return await paypal.getOrder(orderId)
  }
  catch {
    return before
  }
}
