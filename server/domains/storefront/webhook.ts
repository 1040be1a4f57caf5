import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db'
import { paypalWebhookEvents, storeTransactions } from '../../db/schema'
import type { AppKeys } from '../../platform/app-secret'
import { InvalidInput, Unavailable } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import { PayPalError } from '../../integrations/paypal/client'
import { capturePayPalOrder, getPayPalCapture, getPayPalOrder, type PayPalOrderView } from '../../integrations/paypal/orders'
import { parseWebhookEvent, verifyWebhookSignature, type PayPalWebhookEvent, type WebhookHeaders } from '../../integrations/paypal/webhooks'
import { storeCredentials } from './credentials'
import type { OpenStore } from './storefront'
import { settleFromOrder, type SettleOutcome } from './settle'
import { UUID_RE } from '../../platform/validation'

// PayPal's webhook for a store owner's app, the backup path to the return page. The event is a
// hint only: Cairn verifies the signature (when the owner set a webhook id), then fetches the order
// with the store's credentials and acts on that. A replayed event id is a no-op.

export interface WebhookDeps {
  db: Db
  keys: AppKeys
  log: Logger
  now: () => Date
}

export type WebhookOutcome = SettleOutcome | 'duplicate' | 'ignored'

const unverifiable = (message: string) => new InvalidInput([{ path: 'body', message }], `Webhook rejected: ${message}`)

/** `rawBody` is the request body as received: signature verification sends it to PayPal verbatim. */
export async function handleStoreWebhook(deps: WebhookDeps, store: OpenStore, headers: WebhookHeaders, body: unknown, rawBody?: string): Promise<{ outcome: WebhookOutcome }> {
  const event = parseWebhookEvent(body)
  if (!event) throw unverifiable('not a PayPal webhook event')
  const scope = `license:${store.license.id}`
  const [seen] = await deps.db.select({ id: paypalWebhookEvents.id }).from(paypalWebhookEvents)
    .where(and(eq(paypalWebhookEvents.scope, scope), eq(paypalWebhookEvents.eventId, event.id)))
  if (seen) return { outcome: 'duplicate' }

  const credentials = storeCredentials(deps.keys, store.config)
  if (!credentials) throw unverifiable('the store has no PayPal credentials')
  if (store.config.paypalWebhookId) {
    let genuine: boolean
    try {
      genuine = await verifyWebhookSignature(credentials, store.config.paypalWebhookId, headers, event.raw, rawBody)
    }
    catch (error) {
      if (error instanceof PayPalError && error.statusCode >= 400 && error.statusCode < 500) genuine = false
      else throw new Unavailable('PayPal could not verify the webhook right now')
    }
    if (!genuine) throw unverifiable('signature verification failed')
  }

  const outcome = await applyEvent(deps, store, event)
  await deps.db.insert(paypalWebhookEvents).values({ scope, eventId: event.id, eventType: event.type.slice(0, 100), outcome, receivedAt: deps.now() })
    .onConflictDoNothing()
  return { outcome }
}

const RETURNED = new Set(['REFUNDED', 'PARTIALLY_REFUNDED', 'REVERSED'])

async function findEventTransaction(deps: WebhookDeps, store: OpenStore, event: PayPalWebhookEvent) {
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
  const credentials = storeCredentials(deps.keys, store.config)
  const capture = credentials ? await getPayPalCapture(credentials, event.captureId).catch(() => null) : null
  return capture ? find(capture.orderId, null, capture.customId) : undefined
}

async function applyEvent(deps: WebhookDeps, store: OpenStore, event: PayPalWebhookEvent): Promise<WebhookOutcome> {
  if (!event.type.startsWith('CHECKOUT.ORDER.') && !event.type.startsWith('PAYMENT.CAPTURE.')) return 'ignored'
  const tx = await findEventTransaction(deps, store, event)
  // Not one of this store's orders (another sale on the owner's PayPal account): nothing to do.
  if (!tx?.paypalOrderId) return 'ignored'
  const credentials = storeCredentials(deps.keys, store.config, tx)!
  let order: PayPalOrderView
  try {
    order = await getPayPalOrder(credentials, tx.paypalOrderId)
  }
  catch (error) {
    if (error instanceof PayPalError && error.statusCode >= 400 && error.statusCode < 500) throw unverifiable('the order is not known to PayPal for this store')
    throw new Unavailable('PayPal is not reachable right now')
  }
  // Approved but not captured (the buyer closed the tab before returning): capture now.
  if (order.status === 'APPROVED' && tx.status === 'pending') order = await captureThenRead(deps, credentials, tx.paypalOrderId, tx.id, order)
  // A refund or reversal may show on the capture before the order representation reflects it.
  if (order.capture && order.capture.status === 'COMPLETED' && (event.type === 'PAYMENT.CAPTURE.REFUNDED' || event.type === 'PAYMENT.CAPTURE.REVERSED')) {
    const capture = await getPayPalCapture(credentials, order.capture.id).catch(() => null)
    if (capture && capture.id === order.capture.id && RETURNED.has(capture.status)) order = { ...order, capture: { ...order.capture, status: capture.status } }
  }
  return settleFromOrder(deps.db, tx, order, deps.now())
}

/** Captures, then reads the order back; a refused capture (declined, already captured) still reads back. */
async function captureThenRead(deps: WebhookDeps, credentials: NonNullable<ReturnType<typeof storeCredentials>>, orderId: string, txId: string, before: PayPalOrderView): Promise<PayPalOrderView> {
  try {
    await capturePayPalOrder(credentials, orderId, `capture-${txId}`)
  }
  catch (error) {
    if (!(error instanceof PayPalError) || error.statusCode === 0 || error.statusCode >= 500) throw new Unavailable('PayPal is not reachable right now')
    deps.log.warn('paypal capture refused', { transaction_id: txId, error: error.message })
  }
  try {
    return await getPayPalOrder(credentials, orderId)
  }
  catch {
    return before
  }
}
