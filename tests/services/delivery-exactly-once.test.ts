import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliveries, paypalWebhookEvents, storeTransactions, type StoreItemRow } from '../../server/db/schema'
import { applyAcks } from '../../server/domains/agent/acks'
import { listenForAcks } from '../../server/domains/agent/ack-listener'
import { OutboxRelay } from '../../server/domains/agent/relay'
import { NatsLink } from '../../server/integrations/nats/connection'
import { captureTransaction } from '../../server/domains/storefront/capture'
import { createPurchase } from '../../server/domains/storefront/purchase'
import { purchaseInputSchema } from '../../shared/contracts/storefront'
import { findOpenStore, findStoreForWebhook } from '../../server/domains/storefront/storefront'
import { handleStoreWebhook } from '../../server/domains/storefront/webhook'
import { startTestAgent, type TestAgent } from '../support/agent'
import { quietLog } from '../support/deps'
import { useFakePayPal } from '../support/fake-paypal'
import { approveAsBuyer, completeAtPayPal, createOpenStore, createStoreItem, fakeOrder, setCaptureStatus, signedWebhookHeaders, webhookEvent, withPayPal, type StoreFixture } from '../support/paypal'
import { natsReachable } from '../support/server'
import { useTestDatabase } from '../support/test-database'

const natsUrl = await natsReachable()
const t = useTestDatabase('cairn_delivery_once')
useFakePayPal()
let shop: StoreFixture
let item: StoreItemRow
let link: NatsLink | undefined
let relay: OutboxRelay | undefined

beforeAll(async () => {
  shop = await createOpenStore(t.db, { tag: 'once' })
  item = await createStoreItem(t.db, shop, {
    priceCents: 1234,
    commands: [
      { command: 'lp user {player} parent add vip', require_online: false },
      { command: 'give {player} diamond {quantity} # {transaction_id} {item_id} {price} {currency} {uuid}', require_online: true },
    ],
  })
  if (natsUrl) {
    link = new NatsLink(natsUrl, quietLog)
    await link.connection()
    relay = new OutboxRelay({ ...t.deps, nats: link }, { pollMs: 200 })
    relay.start()
    listenForAcks(t.deps, await link.connection())
  }
})
afterAll(async () => {
  await relay?.stop()
  await link?.close()
})

const deps = () => withPayPal(t.deps)

async function buy(store: StoreFixture, itemId: string, player = 'Steve') {
  const open = await findOpenStore(t.deps, store.subdomain)
  const res = await createPurchase(deps(), open, purchaseInputSchema.parse({ item_id: itemId, player_name: player, player_uuid: '069a79f4-44e9-4726-a5be-fca90e38aaf5', quantity: 3 }), { storefrontBase: 'http://cairn.test/s/x' })
  const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
  return tx!
}

async function webhook(store: StoreFixture, event: Record<string, unknown>, headers?: Record<string, string>) {
  const target = await findStoreForWebhook(t.deps, store.subdomain)
  return handleStoreWebhook(deps(), target, headers ?? await signedWebhookHeaders(store.app.webhookId, event), event)
}

async function snapshot(txId: string) {
  const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, txId))
  const rows = await t.db.select().from(deliveries).where(eq(deliveries.refId, txId))
  return { status: tx!.status, deliveries: rows }
}

describe('exactly-once delivery', () => {
  it.skipIf(!natsUrl)('20 replayed webhooks + 10 concurrent captures → one delivery row, one NATS message, then delivered on ack', async () => {
    const agent: TestAgent = await startTestAgent(natsUrl!, shop.license.id)
    try {
      const tx = await buy(shop, item.id)
      await approveAsBuyer(tx.paypalOrderId!)
      const event = webhookEvent('CHECKOUT.ORDER.APPROVED', await fakeOrder(tx.paypalOrderId!))
      const headers = await signedWebhookHeaders(shop.app.webhookId, event)
      const open = await findOpenStore(t.deps, shop.subdomain)
      const results = await Promise.allSettled([
        ...Array.from({ length: 20 }, () => webhook(shop, event, headers)),
        ...Array.from({ length: 10 }, () => captureTransaction(deps(), open, tx.id)),
      ])
      expect(results.filter(r => r.status === 'rejected')).toEqual([])
      const { status, deliveries: rows } = await snapshot(tx.id)
      expect(['paid', 'delivered']).toContain(status)
      expect(rows).toHaveLength(1)
      const row = rows[0]!
      expect(row.payload).toMatchObject({
        id: row.id,
        transaction_id: tx.id,
        player: { name: 'Steve', uuid: '069a79f4-44e9-4726-a5be-fca90e38aaf5' },
        commands: [
          { command: 'lp user Steve parent add vip', require_online: false },
          { command: `give Steve diamond 3 # ${tx.id} ${item.id} 12.34 USD 069a79f4-44e9-4726-a5be-fca90e38aaf5`, require_online: true },
        ],
      })
      const message = await agent.waitFor(m => m.id === row.id)
      expect(message).toEqual(row.payload)
      await new Promise(resolve => setTimeout(resolve, 1500))
      expect(agent.received.filter(m => m.transaction_id === tx.id)).toHaveLength(1)
      expect(agent.corePublishes.filter(m => m.transaction_id === tx.id)).toHaveLength(1)
      // One event id is stored once, whatever the replays.
      const events = await t.db.select().from(paypalWebhookEvents).where(eq(paypalWebhookEvents.eventId, event.id))
      expect(events).toHaveLength(1)

      const reply = await agent.ack(row.id)
      expect(reply).toMatchObject({ ok: true, results: [{ id: row.id, result: 'applied' }] })
      const after = await snapshot(tx.id)
      expect(after.status).toBe('delivered')
      expect(after.deliveries[0]).toMatchObject({ status: 'done' })
      expect((await agent.ack(row.id)).results?.[0]?.result).toBe('duplicate')
    }
    finally {
      await agent.close()
    }
  })

  it('a capture-completed webhook alone settles the transaction (the buyer never returned)', async () => {
    const tx = await buy(shop, item.id, 'Alex')
    await completeAtPayPal(tx.paypalOrderId!)
    const res = await webhook(shop, webhookEvent('PAYMENT.CAPTURE.COMPLETED', await fakeOrder(tx.paypalOrderId!)))
    expect(res.outcome).toBe('paid')
    expect((await snapshot(tx.id)).deliveries).toHaveLength(1)
  })

  it('forged signature, body changed after signing, tampered amount and another store\'s order change nothing', async () => {
    const tx = await buy(shop, item.id, 'Forge')
    await completeAtPayPal(tx.paypalOrderId!)
    const order = await fakeOrder(tx.paypalOrderId!)
    const event = webhookEvent('PAYMENT.CAPTURE.COMPLETED', order)
    const good = await signedWebhookHeaders(shop.app.webhookId, event)
    await expect(webhook(shop, event, { ...good, 'paypal-transmission-sig': 'Zm9yZ2Vk' })).rejects.toMatchObject({ statusCode: 400 })
    await expect(webhook(shop, { ...event, summary: 'changed' }, good)).rejects.toMatchObject({ statusCode: 400 })
    await expect(webhook(shop, webhookEvent('PAYMENT.CAPTURE.COMPLETED', order, { amount: '0.01' }), good)).rejects.toMatchObject({ statusCode: 400 })
    // Signed for another webhook id (another store's app): refused too.
    const other = await createOpenStore(t.db, { tag: 'other' })
    await expect(webhook(shop, event, await signedWebhookHeaders(other.app.webhookId, event))).rejects.toMatchObject({ statusCode: 400 })
    expect(await snapshot(tx.id)).toMatchObject({ status: 'pending', deliveries: [] })

    // The other store's genuinely paid order, sent (validly signed) to this store's webhook: ignored.
    const otherItem = await createStoreItem(t.db, other)
    const otherTx = await buy(other, otherItem.id, 'Other')
    await completeAtPayPal(otherTx.paypalOrderId!)
    const foreign = webhookEvent('PAYMENT.CAPTURE.COMPLETED', await fakeOrder(otherTx.paypalOrderId!))
    expect((await webhook(shop, foreign)).outcome).toBe('ignored')
    expect(await snapshot(otherTx.id)).toMatchObject({ status: 'pending', deliveries: [] })
  })

  it('without a webhook id the event is a hint only: a tampered amount in the event changes nothing, a database/PayPal mismatch is refused', async () => {
    const plain = await createOpenStore(t.db, { tag: 'plain', webhook: false })
    const plainItem = await createStoreItem(t.db, plain, { priceCents: 999 })
    const tx = await buy(plain, plainItem.id, 'Hint')
    // PayPal says CREATED (nobody paid); the event claims a completed capture.
    const lie = webhookEvent('PAYMENT.CAPTURE.COMPLETED', await fakeOrder(tx.paypalOrderId!), { amount: '0.01' })
    expect((await webhook(plain, lie, {})).outcome).toBe('unchanged')
    expect(await snapshot(tx.id)).toMatchObject({ status: 'pending', deliveries: [] })
    // The order at PayPal is paid, but for a different amount than this transaction: refused.
    await completeAtPayPal(tx.paypalOrderId!)
    await t.db.update(storeTransactions).set({ amountCents: 5000 }).where(eq(storeTransactions.id, tx.id))
    await expect(webhook(plain, webhookEvent('PAYMENT.CAPTURE.COMPLETED', await fakeOrder(tx.paypalOrderId!)), {})).rejects.toMatchObject({ statusCode: 400 })
    expect(await snapshot(tx.id)).toMatchObject({ status: 'pending', deliveries: [] })
  })

  it('refunds and reversals mark the transaction and cancel a delivery that has not left', async () => {
    const plain = await createOpenStore(t.db, { tag: 'refund', webhook: false })
    const plainItem = await createStoreItem(t.db, plain)
    const tx = await buy(plain, plainItem.id, 'Refund')
    await completeAtPayPal(tx.paypalOrderId!)
    expect((await webhook(plain, webhookEvent('PAYMENT.CAPTURE.COMPLETED', await fakeOrder(tx.paypalOrderId!)), {})).outcome).toBe('paid')
    await setCaptureStatus(tx.paypalOrderId!, 'REFUNDED')
    expect((await webhook(plain, webhookEvent('PAYMENT.CAPTURE.REFUNDED', await fakeOrder(tx.paypalOrderId!)), {})).outcome).toBe('refunded')
    const snap = await snapshot(tx.id)
    expect(snap.status).toBe('refunded')
    // Suspended licenses are never relayed in this test's store, so the row was still pending (or sent, with NATS).
    expect(['failed', 'sent']).toContain(snap.deliveries[0]!.status)

    const tx2 = await buy(plain, plainItem.id, 'Reverse')
    await completeAtPayPal(tx2.paypalOrderId!)
    await setCaptureStatus(tx2.paypalOrderId!, 'REVERSED')
    expect((await webhook(plain, webhookEvent('PAYMENT.CAPTURE.REVERSED', await fakeOrder(tx2.paypalOrderId!)), {})).outcome).toBe('reversed')
    expect((await snapshot(tx2.id)).status).toBe('reversed')
  })

  it('acks only close rows of their own license', async () => {
    const tx = await buy(shop, item.id, 'AckOwn')
    await completeAtPayPal(tx.paypalOrderId!)
    await webhook(shop, webhookEvent('PAYMENT.CAPTURE.COMPLETED', await fakeOrder(tx.paypalOrderId!)))
    const [row] = (await snapshot(tx.id)).deliveries
    const other = await createOpenStore(t.db, { tag: 'acker' })
    expect(await applyAcks(t.deps, other.license.id, [{ id: row!.id, kind: 'delivery', status: 'done' }])).toEqual([{ id: row!.id, result: 'unknown' }])
    expect((await snapshot(tx.id)).status).toBe('paid')
    expect(await applyAcks(t.deps, shop.license.id, [{ id: row!.id, kind: 'delivery', status: 'failed', detail: 'player\nnever joined' }])).toEqual([{ id: row!.id, result: 'applied' }])
    const after = await snapshot(tx.id)
    expect(after.status).toBe('failed')
    expect(after.deliveries[0]).toMatchObject({ status: 'failed', detail: 'player never joined' })
  })
})
