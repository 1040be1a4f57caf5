import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paypalClient, PayPalError, refusedByPayPal, type PayPalClient } from '../../server/integrations/paypal/client'
import { failureKind } from '../../server/integrations/paypal/errors'
import { startFakePayPal, type FakePayPal } from '../fakes/paypal/server'
import { approveOrder } from '../fakes/paypal/orders'
import { signWebhook } from '../fakes/paypal/webhooks'

// The SDK-backed client against the fake PayPal (in process): token isolation, idempotent
// request ids, refunds, verbatim webhook bodies, and how failures are classified.

let fake: FakePayPal
let other: FakePayPal
let seq = 0

beforeAll(async () => {
  fake = await startFakePayPal()
  other = await startFakePayPal()
})
afterAll(async () => {
  await fake?.close()
  await other?.close()
})

/** A client id no other test uses: the SDK's token cache is process-wide. */
const uniqueId = (tag: string) => `client-${tag}-${++seq}-${Date.now().toString(36)}`

function client(clientId: string, clientSecret: string, at: FakePayPal = fake, timeoutMs?: number): PayPalClient {
  return paypalClient({ clientId, clientSecret, mode: 'sandbox' }, { apiBase: at.url, timeoutMs })
}

const orderInput = (transactionId: string, amountCents = 499) => ({
  transactionId, amountCents, currency: 'USD', description: 'VIP x1', brandName: 'Shop', returnUrl: 'http://cairn.test/return', cancelUrl: 'http://cairn.test/cancel',
})

async function failure(promise: Promise<unknown>): Promise<PayPalError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  if (!(error instanceof PayPalError)) throw new Error(`expected a PayPalError, got ${String(error)}`)
  return error
}

describe('access tokens', () => {
  it('two stores sharing a client id with different secrets never share a token', async () => {
    const clientId = uniqueId('shared')
    fake.state.registerApp(clientId, 'secret-of-store-a')
    const tokensBefore = fake.state.stats.tokenRequests
    const ordersBefore = fake.state.stats.ordersCreated

    const storeA = await client(clientId, 'secret-of-store-a').createOrder(orderInput(crypto.randomUUID()))
    expect(storeA.status).toBe('CREATED')
    expect(fake.state.stats.tokenRequests).toBe(tokensBefore + 1)

    // Store B names the same client id with another secret: it must ask for its own token (and be
    // refused), not ride on store A's cached one.
    const refused = await failure(client(clientId, 'secret-of-store-b').createOrder(orderInput(crypto.randomUUID())))
    expect(refused).toMatchObject({ statusCode: 401, kind: 'refused', errorName: 'invalid_client' })
    expect(fake.state.stats.tokenRequests).toBeGreaterThan(tokensBefore + 1)
    expect(fake.state.stats.ordersCreated).toBe(ordersBefore + 1)
    expect([...fake.state.orders.values()].filter(o => o.owner === clientId)).toHaveLength(1)
  })

  it('one token per (client id, secret, base URL): reused across clients, never carried to another base URL', async () => {
    const clientId = uniqueId('one')
    fake.state.registerApp(clientId, 'same-secret')
    other.state.registerApp(clientId, 'same-secret')
    const here = { tokens: fake.state.stats.tokenRequests, rejected: fake.state.stats.rejectedTokens }
    const there = { tokens: other.state.stats.tokenRequests, rejected: other.state.stats.rejectedTokens }

    for (let i = 0; i < 3; i++) await client(clientId, 'same-secret').createOrder(orderInput(crypto.randomUUID()))
    expect(fake.state.stats.tokenRequests).toBe(here.tokens + 1)

    await client(clientId, 'same-secret', other).createOrder(orderInput(crypto.randomUUID()))
    expect(other.state.stats.tokenRequests).toBe(there.tokens + 1)
    expect(other.state.stats.rejectedTokens).toBe(there.rejected)
    expect(fake.state.stats.rejectedTokens).toBe(here.rejected)
  })
})

describe('idempotent request ids', () => {
  it('a retried create returns the same order; a repeated capture reads the captured order back', async () => {
    const clientId = uniqueId('idem')
    fake.state.registerApp(clientId, 's')
    const paypal = client(clientId, 's')
    const txId = crypto.randomUUID()
    const first = await paypal.createOrder(orderInput(txId))
    const again = await paypal.createOrder(orderInput(txId))
    expect(again.id).toBe(first.id)
    expect(fake.state.orders.get(first.id)).toMatchObject({ requestId: txId })

    expect(await paypal.captureOrder(first.id, `capture-${txId}`)).toMatchObject({ captured: false, reason: 'not_approved' })
    approveOrder(fake.state.orders.get(first.id)!)
    const captured = await paypal.captureOrder(first.id, `capture-${txId}`)
    expect(captured).toMatchObject({ captured: true, order: { id: first.id, status: 'COMPLETED', customId: txId, amountCents: 499, capture: { status: 'COMPLETED', amountCents: 499 } } })
    expect(await paypal.captureOrder(first.id, `capture-${txId}`)).toMatchObject({ captured: true, order: { status: 'COMPLETED' } })
  })

  it('refunds a capture once per request id; partial refunds add up; more than captured is refused', async () => {
    const clientId = uniqueId('refund')
    fake.state.registerApp(clientId, 's')
    const paypal = client(clientId, 's')
    const order = await paypal.createOrder(orderInput(crypto.randomUUID(), 1000))
    approveOrder(fake.state.orders.get(order.id)!)
    const outcome = await paypal.captureOrder(order.id, 'cap-1')
    const captureId = outcome.captured ? outcome.order.capture!.id : ''

    const part = await paypal.refundCapture(captureId, { requestId: 'refund-1', amount: { cents: 250, currency: 'USD' }, noteToPayer: 'Sorry' })
    expect(part).toMatchObject({ status: 'COMPLETED', amountCents: 250, currency: 'USD' })
    expect(await paypal.refundCapture(captureId, { requestId: 'refund-1', amount: { cents: 250, currency: 'USD' } })).toEqual(part)
    expect((await paypal.getCapture(captureId)).status).toBe('PARTIALLY_REFUNDED')

    const tooMuch = await failure(paypal.refundCapture(captureId, { requestId: 'refund-2', amount: { cents: 751, currency: 'USD' } }))
    expect(tooMuch).toMatchObject({ statusCode: 422, kind: 'refused' })
    expect(tooMuch.has('REFUND_AMOUNT_EXCEEDED')).toBe(true)

    const rest = await paypal.refundCapture(captureId, { requestId: 'refund-3' })
    expect(rest).toMatchObject({ amountCents: 750 })
    expect(await paypal.getCapture(captureId)).toMatchObject({ status: 'REFUNDED', orderId: order.id })
    expect(fake.state.refunds.get(captureId)).toHaveLength(2)
  })
})

describe('webhook verification', () => {
  it('sends the event body verbatim when given it, so a signature over those bytes verifies', async () => {
    const clientId = uniqueId('wh')
    fake.state.registerApp(clientId, 's', ['WH-1'])
    const paypal = client(clientId, 's')
    const raw = '{ "id": "WH-EVT-1",  "event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": { "id": "C1", "amount": { "value": "10.50" } } }'
    const headers = signWebhook(fake.state, fake.url, 'WH-1', undefined, raw)
    const event = JSON.parse(raw) as Record<string, unknown>
    expect(await paypal.verifyWebhookSignature('WH-1', headers, event, raw)).toBe(true)
    // Re-serialised, the bytes differ from what was signed.
    expect(await paypal.verifyWebhookSignature('WH-1', headers, event)).toBe(false)
    expect(await paypal.verifyWebhookSignature('WH-2', headers, event, raw)).toBe(false)
  })
})

describe('failures: transient or refused, decided in one place', () => {
  it('classifies by status: no answer, 429 and 5xx are transient; other 4xx refused', () => {
    expect([0, 429, 500, 503].map(failureKind)).toEqual(['transient', 'transient', 'transient', 'transient'])
    expect([400, 401, 404, 422].map(failureKind)).toEqual(['refused', 'refused', 'refused', 'refused'])
  })

  it('maps what PayPal (or the network) does to that classification', async () => {
    const clientId = uniqueId('fail')
    fake.state.registerApp(clientId, 's')
    const paypal = client(clientId, 's')
    const order = await paypal.createOrder(orderInput(crypto.randomUUID()))
    const fail = (status: number, extra: { contentType?: string, body?: string } = {}) =>
      fake.state.failures.push({ pathPrefix: `/v2/checkout/orders/${order.id}`, status, remaining: 1, ...extra })

    fail(503)
    expect(await failure(paypal.getOrder(order.id))).toMatchObject({ statusCode: 503, kind: 'transient' })
    fail(429)
    expect(await failure(paypal.getOrder(order.id))).toMatchObject({ statusCode: 429, kind: 'transient' })
    // An answer that is not JSON (a proxy's error page) is neither parsed nor a crash.
    fail(200, { contentType: 'text/html', body: '<html>gateway</html>' })
    expect(await failure(paypal.getOrder(order.id))).toMatchObject({ errorName: 'MALFORMED_RESPONSE', kind: 'transient' })
    fail(200, { contentType: 'application/json', body: '{"id": ' })
    expect(await failure(paypal.getOrder(order.id))).toMatchObject({ errorName: 'MALFORMED_RESPONSE', kind: 'transient' })

    const unknown = await failure(paypal.getOrder('NO-SUCH-ORDER'))
    expect(unknown).toMatchObject({ statusCode: 404, kind: 'refused', errorName: 'RESOURCE_NOT_FOUND' })
    expect(refusedByPayPal(unknown)).toBe(true)
    expect(unknown.message).not.toContain('Specified resource ID')
    expect((await paypal.getOrder(order.id)).id).toBe(order.id)
  })

  it('an unreachable or silent PayPal is transient (the deadline ends a call that never answers)', async () => {
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise<void>(resolve => closed.close(() => resolve()))
    const unreachable = paypalClient({ clientId: uniqueId('down'), clientSecret: 's', mode: 'sandbox' }, { apiBase: closedUrl })
    expect(await failure(unreachable.getOrder('O1'))).toMatchObject({ statusCode: 0, errorName: 'TRANSPORT_ERROR', kind: 'transient' })

    const silent: Server = createServer(() => {})
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
      const slow = paypalClient({ clientId: uniqueId('silent'), clientSecret: 's', mode: 'sandbox' }, { apiBase: url, timeoutMs: 200 })
      expect(await failure(slow.getOrder('O1'))).toMatchObject({ statusCode: 0, kind: 'transient' })
    }
    finally {
      silent.closeAllConnections()
      await new Promise<void>(resolve => silent.close(() => resolve()))
    }
  })
})
