import { describe, expect, it, inject } from 'vitest'
import { platformPayPalEnv } from '../fakes/paypal/subscriptions'
import { call } from '../support/http'

/** Transmission headers from the fake for exactly these body bytes (as real PayPal signs them). */
async function signRaw(webhookId: string, raw: string): Promise<Record<string, string>> {
  const res = await fetch(`${inject('paypalUrl')}/__fake/webhooks/sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhook_id: webhookId, raw }) })
  return ((await res.json()) as { headers: Record<string, string> }).headers
}

describe.skipIf(inject('skipReason') !== '')('platform subscription webhook signature', () => {
  it('is verified over the body bytes as sent (pretty-printed, 1.50), and refused once a byte changes', async () => {
    const event = {
      id: `WH-RAW-${Date.now()}`,
      event_version: '1.0',
      event_type: 'PAYMENT.SALE.COMPLETED',
      resource_type: 'sale',
      resource: { id: 'SALE-1', billing_agreement_id: 'I-UNKNOWN-SUBSCRIPTION', amount: { total: '9.99', currency: 'USD' } },
    }
    // Re-serialising this body would turn 1.50 into 1.5 and change the indentation: a signature
    // check over re-encoded JSON would fail here although PayPal really sent it.
    const raw = JSON.stringify(event, null, 2).replace('"event_version": "1.0"', '"event_version": "1.0",\n  "fee_rate": 1.50')
    const headers = await signRaw(platformPayPalEnv().PLATFORM_PAYPAL_WEBHOOK_ID!, raw)
    const ok = await call<{ received: boolean }>('/api/webstore/subscription/webhook', { raw, method: 'POST', headers: { ...headers, 'content-type': 'application/json' } })
    expect(ok.status).toBe(200)
    expect(ok.body.received).toBe(true)

    const tampered = await call('/api/webstore/subscription/webhook', { raw: raw.replace('"9.99"', '"0.01"'), method: 'POST', headers: { ...headers, 'content-type': 'application/json' } })
    expect(tampered.status).toBe(400)
  })
})
