import { jsonRequest, VerbatimJson, type PayPalTransport } from './transport'

// Webhook events: parsing PayPal's envelope and asking PayPal whether the signature is genuine.

export interface PayPalWebhookEvent {
  id: string
  type: string
  /** The order the event is about, when it names one (order events, capture events). */
  orderId: string | null
  /** The capture id, for PAYMENT.CAPTURE.* events (the refunded capture for refund events). */
  captureId: string | null
  /** `custom_id` of the resource (Cairn sets it to the transaction id), a last-resort match. */
  customId: string | null
  /** The parsed event exactly as received, for signature verification. */
  raw: Record<string, unknown>
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v.length <= 255 ? v : null)
const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : null)

/** The id after `/<segment>/` in a PayPal HATEOAS href (`.../v2/payments/captures/<id>`). */
function idAfter(href: unknown, segment: string): string | null {
  if (typeof href !== 'string') return null
  const match = new RegExp(`/${segment}/([^/?#]+)`).exec(href)
  return match?.[1] ? str(decodeURIComponent(match[1])) : null
}

/**
 * Reads PayPal's envelope; null when the body is not a PayPal webhook event. Capture events come
 * in two shapes: the resource is the capture (order at `supplementary_data.related_ids.order_id`,
 * `up` link to the order) or, for refunds and reversals, a refund whose `up` link names the capture.
 */
export function parseWebhookEvent(body: unknown): PayPalWebhookEvent | null {
  const raw = obj(body)
  if (!raw) return null
  const id = str(raw.id)
  const type = str(raw.event_type)
  const resource = obj(raw.resource)
  if (!id || !type || !resource) return null
  let orderId: string | null = null
  let captureId: string | null = null
  const links = Array.isArray(resource.links) ? (resource.links as unknown[]).map(obj).filter(l => l !== null) : []
  const linkId = (segment: string) => links.map(l => idAfter(l.href, segment)).find(v => v !== null) ?? null
  if (type.startsWith('CHECKOUT.ORDER.')) orderId = str(resource.id)
  else if (type.startsWith('PAYMENT.CAPTURE.')) {
    const related = obj(obj(resource.supplementary_data)?.related_ids)
    orderId = str(related?.order_id) ?? linkId('checkout/orders')
    // A refund's `up` link names its capture (a capture's `up` names its order).
    const upCapture = links.filter(l => l.rel === 'up').map(l => idAfter(l.href, 'payments/captures')).find(v => v !== null) ?? null
    const isRefund = upCapture !== null || str(raw.resource_type) === 'refund' || links.some(l => idAfter(l.href, 'payments/refunds') === str(resource.id))
    captureId = str(related?.capture_id) ?? (isRefund ? upCapture : str(resource.id))
  }
  return { id, type, orderId, captureId, customId: str(resource.custom_id), raw }
}

export const WEBHOOK_HEADERS = ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig', 'paypal-cert-url', 'paypal-auth-algo'] as const
export type WebhookHeaders = Partial<Record<typeof WEBHOOK_HEADERS[number], string>>

/**
 * POST /v1/notifications/verify-webhook-signature with the app's own credentials. `rawEvent` (the
 * request body as received) is embedded byte for byte, as PayPal advises: a re-serialised event
 * can differ from what was signed.
 */
export async function verifyWebhookSignature(transport: PayPalTransport, webhookId: string, headers: WebhookHeaders, event: Record<string, unknown>, rawEvent?: string): Promise<boolean> {
  const missing = WEBHOOK_HEADERS.filter(h => !headers[h])
  if (missing.length > 0) return false
  const fields = {
    auth_algo: headers['paypal-auth-algo'],
    cert_url: headers['paypal-cert-url'],
    transmission_id: headers['paypal-transmission-id'],
    transmission_sig: headers['paypal-transmission-sig'],
    transmission_time: headers['paypal-transmission-time'],
    webhook_id: webhookId,
  }
  const body = rawEvent !== undefined && isJsonObjectText(rawEvent)
    ? new VerbatimJson(`${JSON.stringify(fields).slice(0, -1)},"webhook_event":${rawEvent.trim()}}`)
    : { ...fields, webhook_event: event }
  const answer = await transport.execute(jsonRequest('POST', '/v1/notifications/verify-webhook-signature', body))
  return obj(answer)?.verification_status === 'SUCCESS'
}

function isJsonObjectText(text: string): boolean {
  try {
    return obj(JSON.parse(text)) !== null
  }
  catch {
    return false
  }
}
