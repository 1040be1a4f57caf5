import { and, eq } from 'drizzle-orm'
import { paypalWebhookEvents, webstoreSubscriptions } from '../../db/schema'
import { InvalidInput, Unavailable } from '../../platform/errors'
import type { Deps } from '../../platform/deps'
import { parseWebhookEvent, refusedByPayPal, subscriptionIdOfEvent, type PayPalSubscriptionView, type WebhookHeaders } from '../../integrations/paypal/client'
import { platformPayPal } from './platform'
import { applyPayPalView, cancelDuplicate } from './subscriptions'
import type { SubscriptionWebhookOutcome } from '../../../shared/contracts/enums'

// The platform PayPal app's webhook (BILLING.SUBSCRIPTION.* and PAYMENT.SALE.*). The signature is
// verified with PLATFORM_PAYPAL_WEBHOOK_ID; the event then only says which subscription to re-read:
// its status and next billing time come from PayPal itself, so event order and payload tampering
// cannot move a subscription. Each event id is applied once (scope `platform`).

export const PLATFORM_WEBHOOK_SCOPE = 'platform'

const unverifiable = (message: string) => new InvalidInput([{ path: 'body', message }], `Webhook rejected: ${message}`)

const HANDLED_PREFIXES = ['BILLING.SUBSCRIPTION.', 'PAYMENT.SALE.']

/** `rawBody` is the request body as received: signature verification sends it to PayPal verbatim. */
export async function handleSubscriptionWebhook(deps: Deps, headers: WebhookHeaders, body: unknown, rawBody?: string): Promise<{ outcome: SubscriptionWebhookOutcome }> {
  const event = parseWebhookEvent(body)
  if (!event) throw unverifiable('not a PayPal webhook event')
  const platform = platformPayPal(deps.env)
  if (!platform?.webhookId) throw unverifiable('platform webhook verification is not configured (PLATFORM_PAYPAL_WEBHOOK_ID)')

  let genuine: boolean
  try {
    genuine = await platform.paypal.verifyWebhookSignature(platform.webhookId, headers, event.raw, rawBody)
  }
  catch (error) {
    if (refusedByPayPal(error)) genuine = false
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
      view = await platform.paypal.getSubscription(row.paypalSubscriptionId)
    }
    catch (error) {
      if (refusedByPayPal(error)) throw unverifiable('the subscription is not known to the platform\'s PayPal app')
      // Not recorded: PayPal retries the event and it is applied then.
      throw new Unavailable('PayPal is not reachable right now')
    }
  }

  const now = deps.clock.now()
  const outcome = await deps.db.transaction(async (tx): Promise<SubscriptionWebhookOutcome> => {
    const [fresh] = await tx.insert(paypalWebhookEvents).values({ scope: PLATFORM_WEBHOOK_SCOPE, eventId: event.id, eventType: event.type.slice(0, 100), outcome: 'pending', receivedAt: now })
      .onConflictDoNothing().returning({ id: paypalWebhookEvents.id })
    // A concurrent delivery of the same event got here first.
    if (!fresh) return 'duplicate'
    const result: SubscriptionWebhookOutcome = row && view ? await applyPayPalView({ ...deps, db: tx }, row.licenseId, row.id, view) : 'ignored'
    await tx.update(paypalWebhookEvents).set({ outcome: result }).where(eq(paypalWebhookEvents.id, fresh.id))
    return result
  })
  if (outcome === 'duplicate_cancelled' && row?.paypalSubscriptionId) await cancelDuplicate(deps, platform, row.paypalSubscriptionId)
  deps.log.info('platform webhook', { event_type: event.type, outcome })
  return { outcome }
}

