import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { storeConfig, storeItems, storeTransactions } from '../../server/db/schema'
import { sealPaypalSecret } from '../../server/domains/webstore/config'
import { serverDb } from '../support/fixtures'
import { call } from '../support/http'
import { testKeys } from '../support/keys'
import { approveAsBuyer, completeAtPayPal, createOpenStore, createStoreItem, setCaptureStatus, signedRawWebhookHeaders, signedWebhookHeaders, type StoreFixture } from '../support/paypal'
import { deliveryRowsOf, openStoreWith, purchase, stockOf, transactionRow } from '../support/storefront'

// Store payments with PayPal as PayPal behaves (not as our fake happened to): tokens belong to one
// client id + secret, signatures cover the body bytes, refund/reversal events carry a refund
// resource that names the capture only through its `up` link.

const skip = inject('skipReason') !== ''

/** A paid transaction (bought, approved, captured through the return page). */
async function paidTransaction(shop: StoreFixture, itemId: string) {
  const res = await purchase(shop.subdomain, { item_id: itemId, player_name: 'Notch' })
  expect(res.status).toBe(201)
  const tx = await transactionRow(res.body.transaction_id)
  await approveAsBuyer(tx.paypalOrderId!)
  const cap = await call(`/api/public-store/${shop.subdomain}/transactions/${tx.id}/capture`, { method: 'POST' })
  expect(cap.body).toMatchObject({ status: 'paid' })
  return transactionRow(tx.id)
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

describe.skipIf(skip)('store payments at PayPal', () => {
  let shop: StoreFixture
  let itemId: string
  beforeAll(async () => {
    const store = await openStoreWith('cpp', [{ priceCents: 1250, stock: 5 }])
    shop = store.shop
    itemId = store.items[0]!.id
  })

  it('an access token belongs to one client id AND secret: a store with a wrong secret cannot ride on another store\'s token', async () => {
    const { db } = await serverDb()
    // Same client id as `shop`, wrong secret: PayPal refuses the token request (401 invalid_client).
    const other = await createOpenStore(db, { tag: 'cpw' })
    await db.update(storeConfig).set({ paypalClientId: shop.app.clientId, paypalClientSecretSealed: sealPaypalSecret({ keys: testKeys }, other.license.id, 'not-the-secret') })
      .where(eq(storeConfig.licenseId, other.license.id))
    const otherItem = await createStoreItem(db, other, { priceCents: 300, stock: 2 })
    // Warm a token for the genuine credentials first.
    expect((await purchase(shop.subdomain, { item_id: itemId, player_name: 'Warmup' })).status).toBe(201)

    const res = await purchase(other.subdomain, { item_id: otherItem.id, player_name: 'Intruder' })
    expect(res.status).toBe(503)
    const rows = await db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, other.license.id))
    expect(rows.map(r => r.status)).toEqual(['failed'])
    expect(rows[0]!.paypalOrderId).toBeNull()
    const [stock] = await db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, otherItem.id))
    expect(stock!.stock).toBe(2)
  })

  it('verifies the signature over the body bytes as received (a pretty-printed event is sent to PayPal verbatim)', async () => {
    const res = await purchase(shop.subdomain, { item_id: itemId, player_name: 'Pretty' })
    const tx = await transactionRow(res.body.transaction_id)
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
    const headers = await signedRawWebhookHeaders(shop.app.webhookId, raw)
    const hook = await call(`/api/public-store/${shop.subdomain}/webhook`, { raw, headers: { ...headers, 'content-type': 'application/json' } })
    expect(hook.status).toBe(200)
    expect(hook.body).toMatchObject({ outcome: 'paid' })
    expect((await transactionRow(tx.id)).status).toBe('paid')
    expect(await deliveryRowsOf(tx.id)).toHaveLength(1)

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
    expect((await transactionRow(tx.id)).status).toBe('reversed')
  })

  it('money refunded before Cairn saw it paid: refunded in one step, no delivery is ever queued', async () => {
    const stockBefore = await stockOf(itemId)
    const res = await purchase(shop.subdomain, { item_id: itemId, player_name: 'Quick' })
    const tx = await transactionRow(res.body.transaction_id)
    const { capture } = await completeAtPayPal(tx.paypalOrderId!)
    await setCaptureStatus(tx.paypalOrderId!, 'REFUNDED')
    const event = refundEvent('PAYMENT.CAPTURE.REFUNDED', capture.id, { currency_code: 'USD', value: '12.50' })
    const hook = await call(`/api/public-store/${shop.subdomain}/webhook`, { body: event, headers: await signedWebhookHeaders(shop.app.webhookId, event) })
    expect(hook.status).toBe(200)
    expect(hook.body).toMatchObject({ outcome: 'refunded' })
    expect((await transactionRow(tx.id)).status).toBe('refunded')
    expect(await deliveryRowsOf(tx.id)).toEqual([])
    // Its reserved unit went back to stock.
    expect(await stockOf(itemId)).toBe(stockBefore)
  })
})
