import { and, eq } from 'drizzle-orm'
import { paypalWebhookEvents, webstoreSubscriptions } from '../../db/schema'
import { InvalidInput, Unavailable } from '../../platform/errors'
import { PayPalError } from '../../integrations/paypal/client'
import { getPayPalSubscription, subscriptionIdOfEvent, type PayPalSubscriptionView } from '../../integrations/paypal/subscriptions'
import { parseWebhookEvent, verifyWebhookSignature, type WebhookHeaders } from '../../integrations/paypal/webhooks'
import { applyPayPalView, cancelDuplicate, type ApplyOutcome, type SubscriptionDeps } from './subscriptions'

// The platform PayPal app's webhook (BILLING.SUBSCRIPTION.* and PAYMENT.SALE.*). The signature is
// verified with PLATFORM_PAYPAL_WEBHOOK_ID; the event then only says which subscription to re-read:
// its status and next billing time come from PayPal itself, so event order and payload tampering
// cannot move a subscription. Each event id is applied once (scope `platform`).

export const PLATFORM_WEBHOOK_SCOPE = 'platform'

export type SubscriptionWebhookOutcome = ApplyOutcome | 'duplicate' | 'ignored'

const unverifiable = (message: string) => new InvalidInput([{ path: 'body', message }], `Webhook rejected: ${message}`)

const HANDLED_PREFIXES = ['BILLING.SUBSCRIPTION.', 'PAYMENT.SALE.']

/** `rawBody` is the request body as received: signature verification sends it to PayPal verbatim. */
export async function handleSubscriptionWebhook(deps: SubscriptionDeps, headers: WebhookHeaders, body: unknown, rawBody?: string): Promise<{ outcome: SubscriptionWebhookOutcome }> {
  const event = parseWebhookEvent(body)
  if (!event) throw unverifiable('not a PayPal webhook event')
  const platform = deps.platform
  if (!platform?.webhookId) throw unverifiable('platform webhook verification is not configured (PLATFORM_PAYPAL_WEBHOOK_ID)')

  let genuine: boolean
  try {
    genuine = await verifyWebhookSignature(platform.credentials, platform.webhookId, headers, event.raw, rawBody)
  }
  catch (error) {
    if (error instanceof PayPalError && error.statusCode >= 400 && error.statusCode < 500) genuine = false
    else throw new Unavailable('PayPal could not verify the webhook right now')
  }
  if (!genuine) throw unverifiable('signature verification failed')

  const [seen] = await deps.db.select({ id: paypalWebhookEvents.id }).from(paypalWebhookEvents)
    .where(and(eq(paypalWebhookEvents.scope, PLATFORM_WEBHOOK_SCOPE), eq(paypalWebhookEvents.eventId, event.id)))
  if (seen) return { outcome: 'duplicate' }

  const subscriptionId = HANDLED_PREFIXES.some(p => event.type.startsWith(p)) ? subscriptionIdOfEvent(event.type, event.raw) : null
  const [row] = subscriptionId
    ? await deps.db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.paypalSubscriptionId, subscriptionId))
    : []

  let view: PayPalSubscriptionView | null = null
  if (row?.paypalSubscriptionId) {
    try {
      view = await getPayPalSubscription(platform.credentials, row.paypalSubscriptionId)
    }
    catch (error) {
      if (error instanceof PayPalError && error.statusCode >= 400 && error.statusCode < 500) throw unverifiable('the subscription is not known to the platform\'s PayPal app')
      // Not recorded: PayPal retries the event and it is applied then.
      throw new Unavailable('PayPal is not reachable right now')
    }
  }

  const now = deps.now()
  const outcome = await deps.db.transaction(async (tx): Promise<SubscriptionWebhookOutcome> => {
    const [fresh] = await tx.insert(paypalWebhookEvents).values({ scope: PLATFORM_WEBHOOK_SCOPE, eventId: event.id, eventType: event.type.slice(0, 100), outcome: 'pending', receivedAt: now })
      .onConflictDoNothing().returning({ id: paypalWebhookEvents.id })
    // A concurrent delivery of the same event got here first.
    if (!fresh) return 'duplicate'
    const result: SubscriptionWebhookOutcome = row && view ? await applyPayPalView(tx, row.licenseId, row.id, view, now) : 'ignored'
    await tx.update(paypalWebhookEvents).set({ outcome: result }).where(eq(paypalWebhookEvents.id, fresh.id))
    return result
  })
  if (outcome === 'duplicate_cancelled' && row?.paypalSubscriptionId) await cancelDuplicate(deps, row.paypalSubscriptionId)
  deps.log.info('platform webhook', { event_type: event.type, outcome })
  return { outcome }
}

