import { createHmac, randomUUID } from 'node:crypto'
import { bearerApp, isResponse, route, type FakeRoute } from './http'
import type { FakeState } from './state'

// PayPal signs webhooks with a certificate; the fake signs with an HMAC only it knows and
// answers verify-webhook-signature like PayPal: SUCCESS only for an untampered event sent to
// a webhook id that belongs to the calling app.

const FAKE_SIGNING_KEY = 'fake-paypal-webhook-signing-key'

export interface SignedHeaders {
  'paypal-transmission-id': string
  'paypal-transmission-time': string
  'paypal-transmission-sig': string
  'paypal-cert-url': string
  'paypal-auth-algo': string
}

function signature(transmissionId: string, time: string, webhookId: string, event: unknown): string {
  return createHmac('sha256', FAKE_SIGNING_KEY).update(`${transmissionId}|${time}|${webhookId}|${JSON.stringify(event)}`).digest('base64')
}

export function signWebhook(state: FakeState, baseUrl: string, webhookId: string, event: unknown): SignedHeaders {
  const transmissionId = randomUUID()
  const time = new Date().toISOString()
  const sig = signature(transmissionId, time, webhookId, event)
  state.transmissions.set(transmissionId, { webhookId, sig })
  return {
    'paypal-transmission-id': transmissionId,
    'paypal-transmission-time': time,
    'paypal-transmission-sig': sig,
    'paypal-cert-url': `${baseUrl}/v1/notifications/certs/CERT-fake`,
    'paypal-auth-algo': 'SHA256withRSA',
  }
}

interface VerifyBody {
  auth_algo?: string
  cert_url?: string
  transmission_id?: string
  transmission_sig?: string
  transmission_time?: string
  webhook_id?: string
  webhook_event?: unknown
}

export const webhookRoutes: FakeRoute[] = [
  route('POST', /^\/v1\/notifications\/verify-webhook-signature$/, (req) => {
    req.state.stats.verifyCalls++
    const auth = bearerApp(req)
    if (isResponse(auth)) return auth
    const body = (req.body ?? {}) as VerifyBody
    const missing = (['auth_algo', 'cert_url', 'transmission_id', 'transmission_sig', 'transmission_time', 'webhook_id'] as const)
      .filter(k => typeof body[k] !== 'string' || body[k] === '')
    if (missing.length > 0 || body.webhook_event === undefined) {
      return { status: 400, body: { name: 'VALIDATION_ERROR', message: 'Invalid request - see details', details: missing.map(field => ({ field, issue: 'Required field is missing' })) } }
    }
    const app = req.state.apps.get(auth.clientId)
    const issued = req.state.transmissions.get(body.transmission_id!)
    const expected = signature(body.transmission_id!, body.transmission_time!, body.webhook_id!, body.webhook_event)
    const ok = Boolean(app?.webhookIds.has(body.webhook_id!)) && issued !== undefined && issued.webhookId === body.webhook_id && issued.sig === body.transmission_sig && expected === body.transmission_sig
    return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } }
  }),
]
