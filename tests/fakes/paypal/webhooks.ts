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

/**
 * Signs `event`, or (like PayPal, whose signature covers the CRC32 of the body bytes) the exact
 * text `rawBody` the caller will send: verification then needs those bytes back verbatim.
 */
function rawSignature(transmissionId: string, time: string, webhookId: string, raw: string): string {
  return createHmac('sha256', FAKE_SIGNING_KEY).update(`${transmissionId}|${time}|${webhookId}|raw|${raw}`).digest('base64')
}

/** The exact text of the top-level `"webhook_event"` value in a verify request body. */
function rawEventText(body: string): string | undefined {
  const key = body.indexOf('"webhook_event"')
  if (key < 0) return undefined
  let i = body.indexOf(':', key) + 1
  while (/\s/.test(body[i] ?? '')) i++
  if (body[i] !== '{') return undefined
  let depth = 0
  let inString = false
  for (let j = i; j < body.length; j++) {
    const c = body[j]
    if (inString) {
      if (c === '\\') j++
      else if (c === '"') inString = false
    }
    else if (c === '"') inString = true
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return body.slice(i, j + 1)
  }
  return undefined
}

export function signWebhook(state: FakeState, baseUrl: string, webhookId: string, event: unknown, rawBody?: string): SignedHeaders {
  const transmissionId = randomUUID()
  const time = new Date().toISOString()
  const sig = rawBody === undefined ? signature(transmissionId, time, webhookId, event) : rawSignature(transmissionId, time, webhookId, rawBody)
  state.transmissions.set(transmissionId, { webhookId, sig, raw: rawBody !== undefined })
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
    const expected = issued?.raw
      ? rawSignature(body.transmission_id!, body.transmission_time!, body.webhook_id!, rawEventText(req.rawBody) ?? '')
      : signature(body.transmission_id!, body.transmission_time!, body.webhook_id!, body.webhook_event)
    const ok = Boolean(app?.webhookIds.has(body.webhook_id!)) && issued !== undefined && issued.webhookId === body.webhook_id && issued.sig === body.transmission_sig && expected === body.transmission_sig
    return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } }
  }),
]
