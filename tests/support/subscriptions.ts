import type { SubscriptionEventType } from '../fakes/paypal/subscriptions'
import { call, type ApiResponse } from './http'
import { control } from './paypal'

// Drives the fake PayPal's subscriptions (tests/fakes/paypal/subscriptions.ts) from test workers:
// the owner approving at PayPal, PayPal changing a subscription and sending its signed webhook.


export interface FakeSubscriptionView {
  id: string
  status: string
  plan_id: string
  custom_id?: string
  status_change_note?: string
  return_url?: string
  billing_info?: { next_billing_time?: string }
}

export const fakeSubscription = (id: string) => control<FakeSubscriptionView>(`/__fake/subscriptions/${encodeURIComponent(id)}`)

/** The subscriptions PayPal holds for a license (Cairn sends the license id as `custom_id`). */
export const paypalSubscriptionsOf = async (licenseId: string) =>
  (await control<{ subscriptions: Array<{ id: string, status: string }> }>(`/__fake/subscriptions?custom_id=${encodeURIComponent(licenseId)}`)).subscriptions

/** PayPal approves the subscription; with `hold` it stays APPROVED (not yet ACTIVE), as PayPal can leave it for a while. */
export const approveAtFake = (paypalSubscriptionId: string, { hold = false } = {}) =>
  control(`/__fake/subscriptions/${encodeURIComponent(paypalSubscriptionId)}/approve`, hold ? { hold: true } : {})

/**
 * What the owner does at PayPal: opens the approval link, clicks "Agree & subscribe" and is sent
 * back. Returns where PayPal redirects (Cairn's return URL with `subscription_id`).
 */
export async function approveAtPayPal(approvalUrl: string): Promise<URL> {
  const page = await fetch(approvalUrl)
  const html = await page.text()
  const action = /action="([^"]*\/approve[^"]*)"/.exec(html)?.[1]
  if (!page.ok || !action) throw new Error(`no approval form at ${approvalUrl}: ${page.status}`)
  const res = await fetch(new URL(action.replace(/&amp;/g, '&'), approvalUrl), { method: 'POST', redirect: 'manual' })
  const location = res.headers.get('location')
  if (res.status !== 303 || !location) throw new Error(`approval did not redirect: ${res.status}`)
  return new URL(location)
}

export interface SignedEvent {
  event: Record<string, unknown>
  headers: Record<string, string>
}

/** PayPal changes the subscription (`apply`, default true) and signs the webhook event for it. */
export const paypalSubscriptionEvent = (paypalSubscriptionId: string, eventType: SubscriptionEventType, options: { apply?: boolean, webhookId?: string } = {}) =>
  control<SignedEvent>(`/__fake/subscriptions/${encodeURIComponent(paypalSubscriptionId)}/webhook`, { event_type: eventType, apply: options.apply, webhook_id: options.webhookId })

/** POSTs a signed event to Cairn's platform webhook; `forge` breaks the signature or the body. */
export function deliverSubscriptionWebhook(signed: SignedEvent, forge: 'none' | 'signature' | 'body' = 'none'): Promise<ApiResponse<{ received?: boolean, outcome?: string, message?: string }>> {
  const headers = { ...signed.headers }
  if (forge === 'signature') headers['paypal-transmission-sig'] = Buffer.from('forged-signature').toString('base64')
  const body = forge === 'body' ? { ...signed.event, summary: 'tampered after signing' } : signed.event
  return call('/api/webstore/subscription/webhook', { method: 'POST', body, headers })
}
