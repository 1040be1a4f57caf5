import { malformed } from './errors'
import { jsonRequest, type PayPalTransport } from './transport'

// Subscriptions v1 (`/v1/billing/subscriptions`) through the SDK's HTTP client (it has no request
// classes for them), reduced to what Cairn decides on: the status, the next billing time and the
// buyer's approval link. Callers never see PayPal's JSON.

/** PayPal's subscription states (APPROVAL_PENDING, APPROVED, ACTIVE, SUSPENDED, CANCELLED, EXPIRED). */
export interface PayPalSubscriptionView {
  id: string
  status: string
  planId: string | null
  customId: string | null
  /** `billing_info.next_billing_time`: the end of the period paid for. */
  nextBillingTime: Date | null
  approvalUrl: string | null
}

interface WireSubscription {
  id?: unknown
  status?: unknown
  plan_id?: unknown
  custom_id?: unknown
  billing_info?: { next_billing_time?: unknown }
  links?: Array<{ rel?: unknown, href?: unknown }>
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v.length <= 2048 ? v : null)

function date(v: unknown): Date | null {
  const s = str(v)
  if (!s) return null
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? null : d
}

export function readSubscription(answer: unknown): PayPalSubscriptionView {
  const wire = typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? answer as WireSubscription : undefined
  const id = str(wire?.id)
  if (!wire || !id) throw malformed('without a subscription id')
  return {
    id,
    status: str(wire.status) ?? 'UNKNOWN',
    planId: str(wire.plan_id),
    customId: str(wire.custom_id),
    nextBillingTime: date(wire.billing_info?.next_billing_time),
    approvalUrl: str(Array.isArray(wire.links) ? wire.links.find(l => l?.rel === 'approve')?.href : undefined),
  }
}

export interface CreateSubscriptionInput {
  planId: string
  /** Cairn's reference (the license id), echoed back by PayPal as `custom_id`. */
  customId: string
  /** `PayPal-Request-Id`: a retried create returns the same subscription. */
  requestId: string
  brandName: string
  returnUrl: string
  cancelUrl: string
}

export async function createSubscription(transport: PayPalTransport, input: CreateSubscriptionInput): Promise<PayPalSubscriptionView & { approvalUrl: string }> {
  const view = readSubscription(await transport.execute(jsonRequest('POST', '/v1/billing/subscriptions', {
    plan_id: input.planId,
    custom_id: input.customId,
    application_context: {
      brand_name: input.brandName.slice(0, 127),
      shipping_preference: 'NO_SHIPPING',
      user_action: 'SUBSCRIBE_NOW',
      return_url: input.returnUrl,
      cancel_url: input.cancelUrl,
    },
  }, { 'PayPal-Request-Id': input.requestId, 'Prefer': 'return=representation' })))
  if (!view.approvalUrl) throw malformed('with a subscription that has no approval link')
  return { ...view, approvalUrl: view.approvalUrl }
}

export async function getSubscription(transport: PayPalTransport, subscriptionId: string): Promise<PayPalSubscriptionView> {
  return readSubscription(await transport.execute(jsonRequest('GET', `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}`)))
}

/**
 * Cancels at PayPal (204). A subscription PayPal already considers cancelled or expired answers
 * 422 `SUBSCRIPTION_STATUS_INVALID`; the caller then re-reads it.
 */
export async function cancelSubscription(transport: PayPalTransport, subscriptionId: string, reason: string): Promise<void> {
  await transport.execute(jsonRequest('POST', `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}/cancel`, { reason: reason.slice(0, 127) }))
}

/**
 * The subscription a platform webhook event is about: the resource itself for
 * `BILLING.SUBSCRIPTION.*`, the sale's `billing_agreement_id` for `PAYMENT.SALE.*`; else null.
 */
export function subscriptionIdOfEvent(type: string, raw: Record<string, unknown>): string | null {
  const resource = raw.resource as Record<string, unknown> | undefined
  if (typeof resource !== 'object' || resource === null) return null
  const id = type.startsWith('BILLING.SUBSCRIPTION.') ? resource.id : type.startsWith('PAYMENT.SALE.') ? resource.billing_agreement_id : null
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : null
}
