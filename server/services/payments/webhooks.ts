import { paypalExecute, type PayPalCredentials } from './client'

// Webhook events: parsing PayPal's envelope and asking PayPal whether the signature is genuine.

export interface PayPalWebhookEvent {
  id: string
  type: string
  /** The order the event is about, when it names one (order events, capture events). */
  orderId: string | null
  /** The capture id, for PAYMENT.CAPTURE.* events. */
  captureId: string | null
  /** The parsed event exactly as received, for signature verification. */
  raw: Record<string, unknown>
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v.length <= 255 ? v : null)

/** Reads PayPal's envelope; null when the body is not a PayPal webhook event. */
export function parseWebhookEvent(body: unknown): PayPalWebhookEvent | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null
  const raw = body as Record<string, unknown>
  const id = str(raw.id)
  const type = str(raw.event_type)
  const resource = raw.resource as Record<string, unknown> | undefined
  if (!id || !type || typeof resource !== 'object' || resource === null) return null
  let orderId: string | null = null
  let captureId: string | null = null
  if (type.startsWith('CHECKOUT.ORDER.')) orderId = str(resource.id)
  else if (type.startsWith('PAYMENT.CAPTURE.')) {
    const related = (resource.supplementary_data as { related_ids?: { order_id?: unknown } } | undefined)?.related_ids
    orderId = str(related?.order_id)
    // A refund's resource is the refund; its `up` link names the capture.
    const up = (resource.links as Array<{ rel?: unknown, href?: unknown }> | undefined)?.find(l => l.rel === 'up')
    captureId = type === 'PAYMENT.CAPTURE.REFUNDED' && typeof up?.href === 'string'
      ? str(up.href.split('/').pop())
      : str(resource.id)
  }
  return { id, type, orderId, captureId, raw }
}

export const WEBHOOK_HEADERS = ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig', 'paypal-cert-url', 'paypal-auth-algo'] as const
export type WebhookHeaders = Partial<Record<typeof WEBHOOK_HEADERS[number], string>>

/** POST /v1/notifications/verify-webhook-signature with the store's credentials. */
export async function verifyWebhookSignature(credentials: PayPalCredentials, webhookId: string, headers: WebhookHeaders, event: Record<string, unknown>): Promise<boolean> {
  const missing = WEBHOOK_HEADERS.filter(h => !headers[h])
  if (missing.length > 0) return false
  const { result } = await paypalExecute<{ verification_status?: unknown }>(credentials, {
    path: '/v1/notifications/verify-webhook-signature',
    verb: 'POST',
    body: {
      auth_algo: headers['paypal-auth-algo'],
      cert_url: headers['paypal-cert-url'],
      transmission_id: headers['paypal-transmission-id'],
      transmission_sig: headers['paypal-transmission-sig'],
      transmission_time: headers['paypal-transmission-time'],
      webhook_id: webhookId,
      webhook_event: event,
    },
  })
  return result?.verification_status === 'SUCCESS'
}
