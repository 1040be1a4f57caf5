import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { moduleInstalls, paypalWebhookEvents, storeCategories, webstoreSubscriptions } from '../../server/db/schema'
import { createOwner, serverDb, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { startBuiltServer, type RunningServer } from '../support/server'
import { approveAtPayPal, deliverSubscriptionWebhook, fakeSubscription, paypalSubscriptionEvent } from '../support/subscriptions'

// The webstore subscription over HTTP against the built server and the fake PayPal:
// create → approve at PayPal → GET shows ACTIVE → the store can be enabled → PayPal's CANCELLED
// webhook → storefront 404 and enabling refused → forged or replayed webhooks change nothing.

const skip = inject('skipReason') !== ''

interface SubscriptionBody {
  subscription: { id: string, status: string, approval_url?: string, paypal_subscription_id?: string | null, current_period_end?: string | null, created_at?: string, cancelled_at?: string | null } | null
}

const as = (owner: Owner, extra: Record<string, string> = {}) => ({ token: owner.token, headers: { 'x-forwarded-for': fakeIp(), ...extra } })
const getSub = (owner: Owner) => call<SubscriptionBody>('/api/webstore/subscription', as(owner))
const createSub = (owner: Owner) => call<SubscriptionBody & { message?: string }>('/api/webstore/subscription/create', { method: 'POST', ...as(owner) })
const cancelSub = (owner: Owner) => call<SubscriptionBody & { message?: string }>('/api/webstore/subscription/cancel', { method: 'POST', ...as(owner) })
const putConfig = (owner: Owner, enabled: boolean) => call<{ config?: { enabled: boolean }, data?: { missing?: string[] } }>('/api/webstore/config', {
  method: 'PUT',
  ...as(owner),
  body: { name: 'Subscribed Store', description: 'Ranks', currency: 'USD', paypal_client_id: 'owner-client', paypal_client_secret: 'owner-secret', paypal_mode: 'sandbox', enabled },
})

async function subscriptionRow(id: string) {
  const { db } = await serverDb()
  const [row] = await db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.id, id))
  return row!
}

describe.skipIf(skip)('webstore subscription lifecycle over HTTP', () => {
  let owner: Owner
  beforeAll(async () => {
    owner = await createOwner(1, 'sub')
  })

  it('create → approve → ACTIVE → enable → CANCELLED webhook → storefront 404; forged/replayed webhooks change nothing; reactivation restores', async () => {
    const subdomain = owner.licenses[0]!.subdomain
    expect((await getSub(owner)).body).toEqual({ subscription: null })

    const created = await createSub(owner)
    expect(created.status).toBe(201)
    const sub = created.body.subscription!
    expect(Object.keys(sub).sort()).toEqual(['approval_url', 'id', 'status'])
    expect(sub.status).toBe('APPROVAL_PENDING')
    expect(sub.approval_url).toContain(`${inject('paypalUrl')}/webapps/billing/subscriptions?ba_token=`)
    const row = await subscriptionRow(sub.id)
    expect(row).toMatchObject({ licenseId: owner.licenses[0]!.id, status: 'APPROVAL_PENDING' })
    const paypalId = row.paypalSubscriptionId!

    // Not active yet: enabling is refused and names the subscription.
    const early = await putConfig(owner, true)
    expect(early.status).toBe(400)
    expect(early.body.data?.missing).toEqual(['subscription'])

    // The owner approves at PayPal and comes back to the panel page.
    const back = await approveAtPayPal(sub.approval_url!)
    expect(`${back.origin}${back.pathname}`).toBe(`${inject('baseUrl')}/admin/webstore/subscription`)
    expect(back.searchParams.get('paypal')).toBe('return')
    expect(back.searchParams.get('license')).toBe(owner.licenses[0]!.id)
    expect(back.searchParams.get('subscription_id')).toBe(paypalId)

    // No webhook yet: GET re-reads PayPal and shows ACTIVE at once.
    const active = await getSub(owner)
    expect(active.status).toBe(200)
    expect(active.body.subscription).toMatchObject({ id: sub.id, status: 'ACTIVE', paypal_subscription_id: paypalId, cancelled_at: null })
    expect(Object.keys(active.body.subscription!).sort()).toEqual(['cancelled_at', 'created_at', 'current_period_end', 'id', 'paypal_subscription_id', 'status'])
    expect(new Date(active.body.subscription!.current_period_end!).getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000)
    expect((await subscriptionRow(sub.id)).status).toBe('ACTIVE')

    expect((await createSub(owner)).status).toBe(409)

    // The store can be enabled now and is open to players.
    const enabled = await putConfig(owner, true)
    expect(enabled.status).toBe(200)
    expect(enabled.body.config?.enabled).toBe(true)
    const { db } = await serverDb()
    await db.insert(storeCategories).values({ licenseId: owner.licenses[0]!.id, name: 'Ranks' })
    expect((await call(`/api/public-store/${subdomain}`)).status).toBe(200)

    // PayPal cancels it (from the owner's PayPal account) and tells Cairn.
    const cancelled = await paypalSubscriptionEvent(paypalId, 'BILLING.SUBSCRIPTION.CANCELLED')
    const hook = await deliverSubscriptionWebhook(cancelled)
    expect(hook.status).toBe(200)
    expect(hook.body).toMatchObject({ received: true, outcome: 'changed' })
    const afterCancel = await getSub(owner)
    expect(afterCancel.body.subscription).toMatchObject({ id: sub.id, status: 'CANCELLED' })
    expect(afterCancel.body.subscription!.cancelled_at).not.toBeNull()
    expect((await call(`/api/public-store/${subdomain}`)).status).toBe(404)
    expect((await call(`/api/public-store/${subdomain}/items`)).status).toBe(404)
    expect((await call(`/s/${subdomain}`)).status).toBe(404)
    const refused = await putConfig(owner, true)
    expect(refused.status).toBe(400)
    expect(refused.body.data?.missing).toEqual(['subscription'])

    // PayPal re-activates it; a forged copy of that event, and one altered after signing, are refused.
    const reactivated = await paypalSubscriptionEvent(paypalId, 'BILLING.SUBSCRIPTION.RE-ACTIVATED')
    for (const forge of ['signature', 'body'] as const) {
      const forged = await deliverSubscriptionWebhook(reactivated, forge)
      expect(forged.status).toBe(400)
      expect((await subscriptionRow(sub.id)).status).toBe('CANCELLED')
    }
    // Signed for another webhook id: not the platform's → refused.
    const foreign = await paypalSubscriptionEvent(paypalId, 'BILLING.SUBSCRIPTION.ACTIVATED', { apply: false, webhookId: 'WH-SOMEBODY-ELSE' })
    expect((await deliverSubscriptionWebhook(foreign)).status).toBe(400)
    // The genuine CANCELLED event replayed: accepted as a duplicate, nothing changes.
    const replay = await deliverSubscriptionWebhook(cancelled)
    expect(replay.status).toBe(200)
    expect(replay.body.outcome).toBe('duplicate')
    expect((await subscriptionRow(sub.id)).status).toBe('CANCELLED')
    expect((await call(`/api/public-store/${subdomain}`)).status).toBe(404)
    const events = await db.select().from(paypalWebhookEvents).where(and(eq(paypalWebhookEvents.scope, 'platform'), eq(paypalWebhookEvents.eventId, String(cancelled.event.id))))
    expect(events).toHaveLength(1)

    // The genuine re-activation: the kept store comes back as it was.
    expect((await deliverSubscriptionWebhook(reactivated)).body.outcome).toBe('changed')
    expect((await getSub(owner)).body.subscription?.status).toBe('ACTIVE')
    const store = await call<{ store: { name: string } }>(`/api/public-store/${subdomain}`)
    expect(store.status).toBe(200)
    expect(store.body.store.name).toBe('Subscribed Store')
    // Enabling queued the webstore module install exactly once through all of this.
    expect(await db.select().from(moduleInstalls).where(and(eq(moduleInstalls.licenseId, owner.licenses[0]!.id), eq(moduleInstalls.moduleId, 'webstore')))).toHaveLength(1)
  })

  it('cancel: 200 with CANCELLED (cancelled at PayPal with a reason), then 409; the owner can subscribe again', async () => {
    const other = await createOwner(1, 'subcancel')
    expect((await cancelSub(other)).status).toBe(409)
    const created = await createSub(other)
    // Waiting for approval is not "active": nothing to cancel yet.
    expect((await cancelSub(other)).status).toBe(409)
    await approveAtPayPal(created.body.subscription!.approval_url!)
    const paypalId = (await subscriptionRow(created.body.subscription!.id)).paypalSubscriptionId!
    const res = await cancelSub(other)
    expect(res.status).toBe(200)
    expect(res.body.subscription).toMatchObject({ id: created.body.subscription!.id, status: 'CANCELLED', paypal_subscription_id: paypalId })
    expect(res.body.subscription!.cancelled_at).not.toBeNull()
    expect(await fakeSubscription(paypalId)).toMatchObject({ status: 'CANCELLED', status_change_note: 'Cancelled by the server owner in the Cairn panel' })
    expect((await cancelSub(other)).status).toBe(409)
    const again = await createSub(other)
    expect(again.status).toBe(201)
    expect(again.body.subscription!.id).not.toBe(created.body.subscription!.id)
  })

  it('PAYMENT.SALE.COMPLETED moves the next billing date', async () => {
    const payer = await createOwner(1, 'subsale')
    const created = await createSub(payer)
    await approveAtPayPal(created.body.subscription!.approval_url!)
    const first = new Date((await getSub(payer)).body.subscription!.current_period_end!).getTime()
    const paypalId = (await subscriptionRow(created.body.subscription!.id)).paypalSubscriptionId!
    const sale = await paypalSubscriptionEvent(paypalId, 'PAYMENT.SALE.COMPLETED')
    expect((await deliverSubscriptionWebhook(sale)).body.outcome).toBe('changed')
    const next = new Date((await getSub(payer)).body.subscription!.current_period_end!).getTime()
    expect(next - first).toBeGreaterThan(27 * 86_400_000)
  })

  it('owner endpoints: 401 without a session, another owner\'s license 404; the webhook refuses unsigned bodies', async () => {
    for (const [method, path] of [['GET', '/api/webstore/subscription'], ['POST', '/api/webstore/subscription/create'], ['POST', '/api/webstore/subscription/cancel']] as const) {
      expect((await call(path, { method })).status).toBe(401)
      expect((await call(path, { method, ...as(owner, { 'x-license-id': (await createOwner(1, 'subiso')).licenses[0]!.id }) })).status).toBe(404)
    }
    const unsigned = await call('/api/webstore/subscription/webhook', { method: 'POST', body: { id: 'WH-1', event_type: 'BILLING.SUBSCRIPTION.CANCELLED', resource: { id: 'I-X' } } })
    expect(unsigned.status).toBe(400)
    expect((await call('/api/webstore/subscription/webhook', { method: 'POST', raw: 'not json', headers: { 'content-type': 'application/json' } })).status).toBe(400)
    expect((await call('/api/webstore/subscription/webhook', { method: 'POST', body: ['x'] })).status).toBe(400)
  })
})

describe.skipIf(skip)('without PLATFORM_PAYPAL_*', () => {
  let bare: RunningServer
  beforeAll(async () => {
    // The same database, a second server without the platform's PayPal app (and without NATS).
    bare = await startBuiltServer('api-no-platform-paypal', { DATABASE_URL: inject('databaseUrl'), PAYPAL_API_BASE: inject('paypalUrl') })
  })
  afterAll(async () => {
    await bare?.stop()
  })

  it('create answers 503 with a clear message; GET still answers', async () => {
    const owner = await createOwner(1, 'sub503')
    const res = await fetch(`${bare.url}/api/webstore/subscription/create`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` } })
    expect(res.status).toBe(503)
    const body = await res.json() as { message: string }
    expect(body.message).toMatch(/platform's PayPal account is not configured/)
    const get = await fetch(`${bare.url}/api/webstore/subscription`, { headers: { authorization: `Bearer ${owner.token}` } })
    expect(get.status).toBe(200)
    expect(await get.json()).toEqual({ subscription: null })
    const { db } = await serverDb()
    expect(await db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.licenseId, owner.licenses[0]!.id))).toHaveLength(0)
  })
})
