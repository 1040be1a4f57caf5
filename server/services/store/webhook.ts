import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db'
import { paypalWebhookEvents, storeTransactions } from '../../db/schema'
import type { AppKeys } from '../app-secret'
import { InvalidInput, Unavailable } from '../errors'
import type { Logger } from '../logger'
import { PayPalError } from '../payments/client'
import { capturePayPalOrder, getPayPalOrder } from '../payments/orders'
import { parseWebhookEvent, verifyWebhookSignature, type WebhookHeaders } from '../payments/webhooks'
import { storeCredentials } from './credentials'
import type { OpenStore } from './storefront'
import { settleFromOrder, type SettleOutcome } from './settle'

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

export async function handleStoreWebhook(deps: WebhookDeps, store: OpenStore, headers: WebhookHeaders, body: unknown): Promise<{ outcome: WebhookOutcome }> {
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
      genuine = await verifyWebhookSignature(credentials, store.config.paypalWebhookId, headers, event.raw)
    }
    catch (error) {
      if (error instanceof PayPalError && error.statusCode >= 400 && error.statusCode < 500) genuine = false
      else throw new Unavailable('PayPal could not verify the webhook right now')
    }
    if (!genuine) throw unverifiable('signature verification failed')
  }

  const outcome = await applyEvent(deps, store, event.type, event.orderId, event.captureId)
  await deps.db.insert(paypalWebhookEvents).values({ scope, eventId: event.id, eventType: event.type.slice(0, 100), outcome, receivedAt: deps.now() })
    .onConflictDoNothing()
  return { outcome }
}

async function applyEvent(deps: WebhookDeps, store: OpenStore, type: string, orderId: string | null, captureId: string | null): Promise<WebhookOutcome> {
  if (!type.startsWith('CHECKOUT.ORDER.') && !type.startsWith('PAYMENT.CAPTURE.')) return 'ignored'
  const match = orderId
    ? eq(storeTransactions.paypalOrderId, orderId)
    : captureId ? eq(storeTransactions.paypalCaptureId, captureId) : undefined
  if (!match) return 'ignored'
  const [tx] = await deps.db.select().from(storeTransactions).where(and(match, eq(storeTransactions.licenseId, store.license.id)))
  // Not one of this store's orders (another sale on the owner's PayPal account): nothing to do.
  if (!tx?.paypalOrderId) return 'ignored'
  const credentials = storeCredentials(deps.keys, store.config, tx)!
  let order
  try {
    order = await getPayPalOrder(credentials, tx.paypalOrderId)
    // Approved but not captured (the buyer closed the tab before returning): capture now.
    if (order.status === 'APPROVED' && tx.status === 'pending') {
      order = await capturePayPalOrder(credentials, tx.paypalOrderId, `capture-${tx.id}`)
      order = await getPayPalOrder(credentials, tx.paypalOrderId)
    }
  }
  catch (error) {
    if (error instanceof PayPalError && error.statusCode >= 400 && error.statusCode < 500) throw unverifiable('the order is not known to PayPal for this store')
    throw new Unavailable('PayPal is not reachable right now')
  }
  return settleFromOrder(deps.db, tx, order, deps.now())
}
