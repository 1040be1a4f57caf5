import { paypalExecute, PayPalError, type PayPalCredentials } from './client'

// Subscriptions v1 (`/v1/billing/subscriptions`), reduced to what Cairn decides on: the status,
// the next billing time and the buyer's approval link. Callers never see PayPal's JSON.

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

export function readSubscription(wire: WireSubscription | undefined): PayPalSubscriptionView {
  const id = str(wire?.id)
  if (!wire || !id) throw new PayPalError(0, 'MALFORMED_RESPONSE', undefined, 'PayPal answered without a subscription id')
  return {
    id,
    status: str(wire.status) ?? 'UNKNOWN',
    planId: str(wire.plan_id),
    customId: str(wire.custom_id),
    nextBillingTime: date(wire.billing_info?.next_billing_time),
    approvalUrl: str(wire.links?.find(l => l.rel === 'approve')?.href),
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

export async function createPayPalSubscription(credentials: PayPalCredentials, input: CreateSubscriptionInput): Promise<PayPalSubscriptionView & { approvalUrl: string }> {
  const { result } = await paypalExecute<WireSubscription>(credentials, {
    path: '/v1/billing/subscriptions',
    verb: 'POST',
    headers: { 'PayPal-Request-Id': input.requestId, 'Prefer': 'return=representation' },
    body: {
      plan_id: input.planId,
      custom_id: input.customId,
      application_context: {
        brand_name: input.brandName.slice(0, 127),
        shipping_preference: 'NO_SHIPPING',
        user_action: 'SUBSCRIBE_NOW',
        return_url: input.returnUrl,
        cancel_url: input.cancelUrl,
      },
    },
  })
  const view = readSubscription(result)
  if (!view.approvalUrl) throw new PayPalError(0, 'MALFORMED_RESPONSE', undefined, 'PayPal subscription has no approval link')
  return { ...view, approvalUrl: view.approvalUrl }
}

export async function getPayPalSubscription(credentials: PayPalCredentials, subscriptionId: string): Promise<PayPalSubscriptionView> {
  const { result } = await paypalExecute<WireSubscription>(credentials, { path: `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}`, verb: 'GET' })
  return readSubscription(result)
}

/**
 * Cancels at PayPal (204). A subscription PayPal already considers cancelled or expired answers
 * 422 `SUBSCRIPTION_STATUS_INVALID`; the caller then re-reads it.
 */
export async function cancelPayPalSubscription(credentials: PayPalCredentials, subscriptionId: string, reason: string): Promise<void> {
  await paypalExecute(credentials, {
    path: `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}/cancel`,
    verb: 'POST',
    body: { reason: reason.slice(0, 127) },
  })
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
