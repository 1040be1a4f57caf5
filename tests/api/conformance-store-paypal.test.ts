import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { deliveries, storeConfig, storeItems, storeTransactions } from '../../server/db/schema'
import { sealPaypalSecret } from '../../server/domains/webstore/config'
import { serverDb } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { testKeys } from '../support/keys'
import { approveAsBuyer, completeAtPayPal, createOpenStore, createStoreItem, setCaptureStatus, signedWebhookHeaders, type StoreFixture } from '../support/paypal'

// Conformance with PayPal as PayPal behaves (not as our fake happened to): tokens belong to one
// client id + secret, signatures cover the body bytes, refund/reversal events carry a refund
// resource that names the capture only through its `up` link.

const skip = inject('skipReason') !== ''

const buy = (sub: string, body: Record<string, unknown>) =>
  call<{ transaction_id: string, status: string }>(`/api/public-store/${sub}/purchase`, { body, headers: { 'x-forwarded-for': fakeIp() } })

async function txRow(id: string) {
  const { db } = await serverDb()
  const [tx] = await db.select().from(storeTransactions).where(eq(storeTransactions.id, id))
  return tx!
}

async function deliveryRows(txId: string) {
  const { db } = await serverDb()
  return db.select().from(deliveries).where(and(eq(deliveries.kind, 'delivery'), eq(deliveries.refId, txId)))
}

/** A paid transaction (bought, approved, captured through the return page). */
async function paidTransaction(shop: StoreFixture, itemId: string) {
  const res = await buy(shop.subdomain, { item_id: itemId, player_name: 'Notch' })
  expect(res.status).toBe(201)
  const tx = await txRow(res.body.transaction_id)
  await approveAsBuyer(tx.paypalOrderId!)
  const cap = await call(`/api/public-store/${shop.subdomain}/transactions/${tx.id}/capture`, { method: 'POST' })
  expect(cap.body).toMatchObject({ status: 'paid' })
  return txRow(tx.id)
}

/** PAYMENT.CAPTURE.REFUNDED / REVERSED as PayPal sends them: the resource is the refund. */
function refundEvent(type: 'PAYMENT.CAPTURE.REFUNDED' | 'PAYMENT.CAPTURE.REVERSED', captureId: string, amount: { currency_code: string, value: string }) {
  const refundId = `R${Math.random().toString(36).slice(2, 12).toUpperCase()}`
  return {
    id: `WH-${Math.random().toString(36).slice(2, 14).toUpperCase()}`,
    event_version: '1.0',
    create_time: new Date().toISOString(),
    resource_type: 'refund',
    resource_version: '2.0',
    event_type: type,
    summary: 'A payment was returned',
    resource: {
      id: refundId,
      status: 'COMPLETED',
      amount,
      links: [
        { href: `https://api.sandbox.paypal.com/v2/payments/refunds/${refundId}`, rel: 'self', method: 'GET' },
        { href: `https://api.sandbox.paypal.com/v2/payments/captures/${captureId}`, rel: 'up', method: 'GET' },
      ],
    },
  }
}

/** Transmission headers from the fake for exactly these body bytes. */
async function signRaw(webhookId: string, raw: string): Promise<Record<string, string>> {
  const res = await fetch(`${inject('paypalUrl')}/__fake/webhooks/sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhook_id: webhookId, raw }) })
  return ((await res.json()) as { headers: Record<string, string> }).headers
}

async function stockOf(id: string) {
  const { db } = await serverDb()
  const [row] = await db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, id))
  return row!.stock
}

let shop: StoreFixture
let itemId: string

beforeAll(async () => {
  if (skip) return
  const { db } = await serverDb()
  shop = await createOpenStore(db, { tag: 'cpp' })
  itemId = (await createStoreItem(db, shop, { priceCents: 1250, stock: 5 })).id
})

describe.skipIf(skip)('PayPal conformance', () => {
  it('an access token belongs to one client id AND secret: a store with a wrong secret cannot ride on another store\'s token', async () => {
    const { db } = await serverDb()
    // Same client id as `shop`, wrong secret: PayPal refuses the token request (401 invalid_client).
    const other = await createOpenStore(db, { tag: 'cpw' })
    await db.update(storeConfig).set({ paypalClientId: shop.app.clientId, paypalClientSecretSealed: sealPaypalSecret({ keys: testKeys }, other.license.id, 'not-the-secret') })
      .where(eq(storeConfig.licenseId, other.license.id))
    const otherItem = await createStoreItem(db, other, { priceCents: 300, stock: 2 })
    // Warm a token for the genuine credentials first.
    expect((await buy(shop.subdomain, { item_id: itemId, player_name: 'Warmup' })).status).toBe(201)

    const res = await buy(other.subdomain, { item_id: otherItem.id, player_name: 'Intruder' })
    expect(res.status).toBe(503)
    const rows = await db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, other.license.id))
    expect(rows.map(r => r.status)).toEqual(['failed'])
    expect(rows[0]!.paypalOrderId).toBeNull()
    const [stock] = await db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, otherItem.id))
    expect(stock!.stock).toBe(2)
  })

  it('verifies the signature over the body bytes as received (a pretty-printed event is sent to PayPal verbatim)', async () => {
    const res = await buy(shop.subdomain, { item_id: itemId, player_name: 'Pretty' })
    const tx = await txRow(res.body.transaction_id)
    const { order } = await completeAtPayPal(tx.paypalOrderId!)
    const unit = order.purchase_units[0]!
    const capture = unit.payments!.captures[0]!
    const event = {
      id: `WH-PRETTY-${tx.id.slice(0, 8)}`,
      event_version: '1.0',
      resource_type: 'capture',
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      resource: { id: capture.id, status: 'COMPLETED', amount: capture.amount, custom_id: tx.id, supplementary_data: { related_ids: { order_id: order.id } } },
    }
    // PayPal's bytes: indented, with a float that re-serialises differently ("1.50" would not survive JSON.parse/stringify).
    const raw = JSON.stringify(event, null, 2).replace('"event_version": "1.0"', '"event_version": "1.0",\n  "fee_rate": 1.50')
    const headers = await signRaw(shop.app.webhookId, raw)
    const hook = await call(`/api/public-store/${shop.subdomain}/webhook`, { raw, headers: { ...headers, 'content-type': 'application/json' } })
    expect(hook.status).toBe(200)
    expect(hook.body).toMatchObject({ outcome: 'paid' })
    expect((await txRow(tx.id)).status).toBe('paid')
    expect(await deliveryRows(tx.id)).toHaveLength(1)

    // The same bytes changed after signing are still refused.
    const forged = await call(`/api/public-store/${shop.subdomain}/webhook`, { raw: raw.replace('"WH-PRETTY', '"WH-PRETTZ'), headers: { ...headers, 'content-type': 'application/json' } })
    expect(forged.status).toBe(400)
  })

  it('PAYMENT.CAPTURE.REVERSED with a refund resource (capture named only by its `up` link) marks the transaction reversed', async () => {
    const tx = await paidTransaction(shop, itemId)
    await setCaptureStatus(tx.paypalOrderId!, 'REVERSED')
    const event = refundEvent('PAYMENT.CAPTURE.REVERSED', tx.paypalCaptureId!, { currency_code: 'USD', value: '12.50' })
    const hook = await call(`/api/public-store/${shop.subdomain}/webhook`, { body: event, headers: await signedWebhookHeaders(shop.app.webhookId, event) })
    expect(hook.status).toBe(200)
    expect(hook.body).toMatchObject({ outcome: 'reversed' })
    expect((await txRow(tx.id)).status).toBe('reversed')
  })

  it('money refunded before Cairn saw it paid: refunded in one step, no delivery is ever queued', async () => {
    const stockBefore = await stockOf(itemId)
    const res = await buy(shop.subdomain, { item_id: itemId, player_name: 'Quick' })
    const tx = await txRow(res.body.transaction_id)
    const { capture } = await completeAtPayPal(tx.paypalOrderId!)
    await setCaptureStatus(tx.paypalOrderId!, 'REFUNDED')
    const event = refundEvent('PAYMENT.CAPTURE.REFUNDED', capture.id, { currency_code: 'USD', value: '12.50' })
    const hook = await call(`/api/public-store/${shop.subdomain}/webhook`, { body: event, headers: await signedWebhookHeaders(shop.app.webhookId, event) })
    expect(hook.status).toBe(200)
    expect(hook.body).toMatchObject({ outcome: 'refunded' })
    expect((await txRow(tx.id)).status).toBe('refunded')
    expect(await deliveryRows(tx.id)).toEqual([])
    // Its reserved unit went back to stock.
    expect(await stockOf(itemId)).toBe(stockBefore)
  })
})
