import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, deliveries, storeItems, storeTransactions, type StoreItemRow } from '../../server/db/schema'
import { applyAcks } from '../../server/domains/agent/acks'
import { listAudit } from '../../server/domains/operations/audit'
import { endTimedPurchases } from '../../server/domains/operations/ended'
import { createGrant } from '../../server/domains/operations/grants'
import { refundTransaction, resendTransaction } from '../../server/domains/operations/orders'
import { storeStats } from '../../server/domains/operations/stats'
import { captureTransaction } from '../../server/domains/storefront/capture'
import { createPurchase } from '../../server/domains/storefront/purchase'
import { findOpenStore, findStoreForWebhook } from '../../server/domains/storefront/storefront'
import { handleStoreWebhook } from '../../server/domains/storefront/webhook'
import { saveStoreConfig } from '../../server/domains/webstore/config'
import { createCoupon, deleteCoupon, updateCoupon } from '../../server/domains/webstore/coupons'
import { createSale, deleteSale } from '../../server/domains/webstore/sales'
import { couponInputSchema, saleInputSchema } from '../../shared/contracts/commerce'
import { grantInputSchema } from '../../shared/contracts/operations'
import { purchaseInputSchema } from '../../shared/contracts/storefront'
import { useFakePayPal } from '../support/fake-paypal'
import { approveAsBuyer, createOpenStore, createStoreItem, fakeOrder, fakeStats, setCaptureStatus, signedWebhookHeaders, webhookEvent, withPayPal, type StoreFixture } from '../support/paypal'
import { useTestDatabase } from '../support/test-database'

// The owner's guarantees after the sale: stats by UTC day, refunds that happen once at PayPal,
// revoke commands once whatever mix of webhooks and clicks reports the refund, timed purchases
// that end once on any number of replicas, free grants, and an audit log without secrets.

const t = useTestDatabase('cairn_owner_ops')
useFakePayPal()
let shop: StoreFixture
let item: StoreItemRow
let actor: { userId: string, email: string }

beforeAll(async () => {
  shop = await createOpenStore(t.db, { tag: 'ops' })
  actor = { userId: shop.license.userId, email: shop.email }
  item = await createStoreItem(t.db, shop, { priceCents: 1000, commands: [{ command: 'lp user {player} parent add vip', require_online: false }] })
  await t.db.update(storeItems).set({ revokeCommands: [{ command: 'lp user {player} parent remove vip # x{quantity}', require_online: false }] }).where(eq(storeItems.id, item.id))
})

const deps = (at?: string) => withPayPal(at ? t.at(at) : t.deps)

async function paidPurchase(player: string, at?: string, quantity = 1) {
  const open = await findOpenStore(t.deps, shop.subdomain)
  const res = await createPurchase(deps(at), open, purchaseInputSchema.parse({ item_id: item.id, player_name: player, quantity }), { storefrontBase: 'http://cairn.test/s/x' })
  const [pending] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
  await approveAsBuyer(pending!.paypalOrderId!)
  expect((await captureTransaction(deps(at), open, res.transaction_id)).status).toBe('paid')
  const [tx] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
  return tx!
}

const rowsFor = (txId: string) => t.db.select().from(deliveries).where(eq(deliveries.refId, txId))

describe('stats', () => {
  it('counts purchases by UTC paid day, oldest first, zero days included, refunds apart', async () => {
    const other = await createOpenStore(t.db, { tag: 'stats' })
    const statsItem = await createStoreItem(t.db, other, { priceCents: 250 })
    const buy = async (player: string, at: string) => {
      const open = await findOpenStore(t.deps, other.subdomain)
      const res = await createPurchase(deps(at), open, purchaseInputSchema.parse({ item_id: statsItem.id, player_name: player }), { storefrontBase: 'http://cairn.test/s/x' })
      const [pending] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, res.transaction_id))
      await approveAsBuyer(pending!.paypalOrderId!)
      await captureTransaction(deps(at), open, res.transaction_id)
      return res.transaction_id
    }
    await buy('Early', '2026-05-01T23:59:59Z')
    await buy('Late', '2026-05-03T00:00:01Z')
    await buy('Later', '2026-05-03T12:00:00Z')
    const refunded = await buy('Gone', '2026-05-03T13:00:00Z')
    await t.db.update(storeTransactions).set({ status: 'refunded' }).where(eq(storeTransactions.id, refunded))
    await createGrant(t.at('2026-05-03T14:00:00Z'), other.license.id, grantInputSchema.parse({ item_id: statsItem.id, player_name: 'Gifted' }), actor)

    const stats = await storeStats(t.at('2026-05-04T08:00:00Z'), other.license.id, 4)
    expect(stats.days).toEqual([
      { date: '2026-05-01', revenue_cents: 250, orders: 1 },
      { date: '2026-05-02', revenue_cents: 0, orders: 0 },
      { date: '2026-05-03', revenue_cents: 500, orders: 2 },
      { date: '2026-05-04', revenue_cents: 0, orders: 0 },
    ])
    expect(stats.totals).toEqual({ revenue_cents: 750, orders: 3, refunded_cents: 250 })
    expect(stats.top_items).toEqual([{ item_id: statsItem.id, name: statsItem.name, revenue_cents: 750, orders: 3 }])
    expect(stats.deliveries.pending).toBe(5)
    expect(stats.agent).toEqual({ last_seen_at: null, version: null })
    // A one-day window is today only.
    expect((await storeStats(t.at('2026-05-01T00:00:00Z'), other.license.id, 1)).days).toEqual([{ date: '2026-05-01', revenue_cents: 250, orders: 1 }])
  })
})

describe('refunds', () => {
  it('ten concurrent refund clicks refund once at PayPal, one succeeds, the rest are 409; revoke queued once', async () => {
    const tx = await paidPurchase('Clicker', undefined, 2)
    const before = (await fakeStats()).refundCalls
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => refundTransaction(deps(), shop.license.id, tx.id, actor)))
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter(r => r.status === 'rejected').map(r => (r as PromiseRejectedResult).reason.statusCode)).toEqual(Array(9).fill(409))
    expect((await fakeStats()).refundCalls - before).toBe(1)
    const [after] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, tx.id))
    expect(after).toMatchObject({ status: 'refunded' })
    expect(after!.refundedAt).not.toBeNull()
    const rows = await rowsFor(tx.id)
    expect(rows.filter(r => r.reason === 'revoke').map(r => r.payload)).toMatchObject([{ commands: [{ command: 'lp user Clicker parent remove vip # x2' }] }])
    const audit = await t.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, tx.id), eq(auditEvents.action, 'transaction.refund')))
    expect(audit).toHaveLength(1)
  })

  it('webhook retries, separate refund events and panel refunds together queue the revoke commands once', async () => {
    const tx = await paidPurchase('Charger')
    await setCaptureStatus(tx.paypalOrderId!, 'REFUNDED')
    const target = await findStoreForWebhook(t.deps, shop.subdomain)
    const order = await fakeOrder(tx.paypalOrderId!)
    const send = async (event: Record<string, unknown>) => handleStoreWebhook(deps(), target, await signedWebhookHeaders(shop.app.webhookId, event), event)
    const retried = webhookEvent('PAYMENT.CAPTURE.REFUNDED', order)
    // The webhook alone refunds the order and queues its revoke; everything after it adds nothing.
    await send(retried)
    expect((await t.db.select({ status: storeTransactions.status }).from(storeTransactions).where(eq(storeTransactions.id, tx.id)))[0]?.status).toBe('refunded')
    expect((await rowsFor(tx.id)).filter(r => r.reason === 'revoke')).toHaveLength(1)
    const results = await Promise.allSettled([
      ...Array.from({ length: 6 }, () => send(retried)),
      ...Array.from({ length: 3 }, () => send(webhookEvent('PAYMENT.CAPTURE.REFUNDED', order))),
      ...Array.from({ length: 3 }, () => refundTransaction(deps(), shop.license.id, tx.id, actor)),
    ])
    expect(results.filter(r => r.status === 'rejected' && (r.reason as { statusCode?: number }).statusCode !== 409)).toEqual([])
    const rows = await rowsFor(tx.id)
    expect(rows.filter(r => r.reason === 'revoke')).toHaveLength(1)
    expect(rows.filter(r => r.reason === 'purchase')).toHaveLength(1)
    // A later reversal (chargeback) reported for the same order adds nothing.
    await send(webhookEvent('PAYMENT.CAPTURE.REVERSED', order))
    expect((await rowsFor(tx.id)).filter(r => r.reason === 'revoke' || r.reason === 'expiry')).toHaveLength(1)
  })

  it('a pending order cannot be refunded or resent; another store\'s order is not found', async () => {
    const open = await findOpenStore(t.deps, shop.subdomain)
    const res = await createPurchase(deps(), open, purchaseInputSchema.parse({ item_id: item.id, player_name: 'Waiting' }), { storefrontBase: 'http://cairn.test/s/x' })
    await expect(refundTransaction(deps(), shop.license.id, res.transaction_id, actor)).rejects.toMatchObject({ statusCode: 409 })
    await expect(resendTransaction(deps(), shop.license.id, res.transaction_id, actor)).rejects.toMatchObject({ statusCode: 409 })
    const stranger = await createOpenStore(t.db, { tag: 'stranger' })
    await expect(refundTransaction(deps(), stranger.license.id, res.transaction_id, actor)).rejects.toMatchObject({ statusCode: 404 })
    expect(await rowsFor(res.transaction_id)).toEqual([])
  })
})

describe('resend', () => {
  it('adds a new delivery each time; a done resend repairs a failed order', async () => {
    const tx = await paidPurchase('Missed')
    const [purchase] = await rowsFor(tx.id)
    await applyAcks(t.deps, shop.license.id, [{ id: purchase!.id, kind: 'delivery', status: 'failed', detail: 'player offline' }])
    const first = await resendTransaction(deps(), shop.license.id, tx.id, actor)
    const second = await resendTransaction(deps(), shop.license.id, tx.id, actor)
    expect(first.id).not.toBe(second.id)
    expect((await rowsFor(tx.id)).map(r => r.reason).sort()).toEqual(['purchase', 'resend', 'resend'])
    await applyAcks(t.deps, shop.license.id, [{ id: second.id, kind: 'delivery', status: 'done' }])
    const [after] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, tx.id))
    expect(after!.status).toBe('delivered')
  })
})

describe('timed purchases', () => {
  it('two sweeps running at once end a purchase once, at paid_at + duration_days', async () => {
    const [timed] = await t.db.insert(storeItems).values({
      licenseId: shop.license.id, categoryId: shop.categoryId, name: 'VIP 30 days', priceCents: 300,
      commands: [{ command: 'lp user {player} parent add vip', require_online: false }],
      revokeCommands: [{ command: 'lp user {player} parent remove vip', require_online: false }],
      durationDays: 30,
    }).returning()
    const grant = await createGrant(t.at('2026-06-01T10:00:00Z'), shop.license.id, grantInputSchema.parse({ item_id: timed!.id, player_name: 'Timed' }), actor)
    expect(grant.endsAt?.toISOString()).toBe('2026-07-01T10:00:00.000Z')

    expect(await endTimedPurchases(t.at('2026-07-01T09:59:59Z'))).toBe(0)
    const ended = await Promise.all([endTimedPurchases(t.at('2026-07-01T10:00:00Z')), endTimedPurchases(t.at('2026-07-01T10:00:00Z')), endTimedPurchases(t.at('2026-07-02T00:00:00Z'))])
    expect(ended.reduce((a, b) => a + b, 0)).toBe(1)
    expect(await endTimedPurchases(t.at('2026-08-01T00:00:00Z'))).toBe(0)
    const rows = await rowsFor(grant.id)
    expect(rows.filter(r => r.reason === 'expiry').map(r => r.payload)).toMatchObject([{ commands: [{ command: 'lp user Timed parent remove vip' }] }])
    const [after] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, grant.id))
    expect(after!.endedAt).not.toBeNull()
  })
})

describe('grants and audit', () => {
  it('a grant is paid, free, manual, delivered like a purchase and ignores stock', async () => {
    const [scarce] = await t.db.insert(storeItems).values({
      licenseId: shop.license.id, categoryId: shop.categoryId, name: 'Sold out', priceCents: 900, stock: 0,
      commands: [{ command: 'give {player} diamond {quantity}', require_online: true }],
    }).returning()
    const grant = await createGrant(t.deps, shop.license.id, grantInputSchema.parse({ item_id: scarce!.id, player_name: 'Winner', quantity: 3, note: 'contest' }), actor)
    expect(grant).toMatchObject({ status: 'paid', source: 'manual', amountCents: 0, grantNote: 'contest' })
    expect((await rowsFor(grant.id)).map(r => [r.reason, r.payload])).toMatchObject([['manual', { commands: [{ command: 'give Winner diamond 3' }] }]])
    await expect(createGrant(t.deps, (await createOpenStore(t.db, { tag: 'grantee' })).license.id, grantInputSchema.parse({ item_id: scarce!.id, player_name: 'Winner' }), actor)).rejects.toMatchObject({ statusCode: 404 })
  })

  it('coupon and sale writes are audited with their target, newest first', async () => {
    const coupon = await createCoupon(t.at('2026-05-20T10:00:01Z'), shop.license.id, couponInputSchema.parse({ code: 'SPRING', kind: 'percent', value: 10 }), actor)
    await updateCoupon(t.at('2026-05-20T10:00:02Z'), shop.license.id, coupon.id, couponInputSchema.parse({ code: 'SPRING', kind: 'percent', value: 15 }), actor)
    await deleteCoupon(t.at('2026-05-20T10:00:03Z'), shop.license.id, coupon.id, actor)
    const sale = await createSale(t.at('2026-05-20T10:00:04Z'), shop.license.id, saleInputSchema.parse({ name: 'Weekend', percent: 20, starts_at: '2026-06-01T00:00:00Z', ends_at: '2026-06-03T00:00:00Z' }), actor)
    await deleteSale(t.at('2026-05-20T10:00:05Z'), shop.license.id, sale.id, actor)
    const { rows: all } = await listAudit(t.deps, shop.license.id, { limit: 500 })
    const rows = all.filter(r => r.action.startsWith('coupon.') || r.action.startsWith('sale.'))
    expect(rows.map(r => [r.action, r.targetId])).toEqual([['sale.delete', sale.id], ['sale.create', sale.id], ['coupon.delete', coupon.id], ['coupon.update', coupon.id], ['coupon.create', coupon.id]])
    expect(rows[3]!.detail).toMatchObject({ code: 'SPRING', value: 15 })
    expect(rows[0]).toMatchObject({ userId: actor.userId, actorEmail: actor.email })
  })

  it('config changes are audited without the PayPal secret or the Discord webhook URL', async () => {
    const secret = 'EL-very-secret-paypal-value'
    const hook = 'https://discord.com/api/webhooks/123456789012345678/hook-token-should-not-leak'
    await saveStoreConfig(t.deps, shop.license.id, { paypal_client_secret: secret, discord_webhook_url: hook, name: 'Renamed' }, actor)
    await expect(saveStoreConfig(t.deps, shop.license.id, { discord_webhook_url: 'https://evil.example/api/webhooks/1/x' }, actor)).rejects.toMatchObject({ statusCode: 400 })
    const { rows } = await listAudit(t.deps, shop.license.id, { limit: 500 })
    const config = rows.filter(r => r.action === 'config.update')
    expect(config).toHaveLength(1)
    expect(config[0]!.detail).toEqual({ paypal_client_secret: 'set', discord_webhook_url: 'set', name: 'Renamed' })
    const all = JSON.stringify(rows)
    expect(all).not.toContain(secret)
    expect(all).not.toContain('hook-token-should-not-leak')
  })
})
