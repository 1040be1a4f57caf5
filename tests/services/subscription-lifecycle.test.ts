import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { publishTestModules } from '../support/modules'
import { deliveries, moduleInstalls, paypalWebhookEvents, storeConfig, webstoreSubscriptions } from '../../server/db/schema'
import { DomainError } from '../../server/platform/errors'
import { findOpenStore } from '../../server/domains/storefront/storefront'
import { platformPayPal } from '../../server/domains/subscriptions/platform'
import { createSubscription } from '../../server/domains/subscriptions/create'
import { cancelSubscription, getSubscription } from '../../server/domains/subscriptions/subscriptions'
import { loadEnv } from '../../server/platform/env'
import { handleSubscriptionWebhook } from '../../server/domains/subscriptions/webhook'
import { saveStoreConfig } from '../../server/domains/webstore/config'
import { storeConfigInputSchema } from '../../shared/contracts/webstore'
import { parseInput } from '../../server/platform/validation'
import { approveSubscription, platformPayPalEnv, registerPlatformApp, subscriptionEvent, subscriptionRoutes, subscriptionState, type SubscriptionEventType } from '../fakes/paypal/subscriptions'
import { signWebhook } from '../fakes/paypal/webhooks'
import { useFakePayPal } from '../support/fake-paypal'
import { createOwnerLicense } from '../support/licenses'
import { withPayPal } from '../support/paypal'
import { useTestDatabase } from '../support/test-database'

// The webstore subscription lifecycle on a real database against the fake PayPal (in process):
// create → approve → ACTIVE → store enabled → CANCELLED by webhook → store closed; forged and
// replayed webhooks change nothing; a new subscription brings the kept store back.

const t = useTestDatabase('cairn_sub_svc')
const paypal = useFakePayPal({ extraRoutes: subscriptionRoutes })
beforeAll(async () => {
  registerPlatformApp(paypal.fake.state)
  // Enabling a store queues the webstore module only when an operator has published it.
  await publishTestModules(t.db)
})

/** `platformEnv`: the PLATFORM_PAYPAL_* variables (the fake's platform app by default). */
const deps = (platformEnv: Record<string, string> = platformPayPalEnv()) => withPayPal(t.deps, platformEnv)

const newLicense = async () => (await createOwnerLicense(t.deps, 'sub')).license

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  if (!(error instanceof DomainError)) throw new Error(`expected a domain error, got ${String(error)}`)
  return error
}

function fakeSub(paypalId: string) {
  const sub = subscriptionState(paypal.fake.state).subscriptions.get(paypalId)
  if (!sub) throw new Error(`fake has no subscription ${paypalId}`)
  return sub
}

async function row(id: string) {
  const [r] = await t.db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.id, id))
  return r!
}

/** A subscription the owner created and approved at PayPal, re-read by Cairn (ACTIVE). */
async function approvedSubscription(license: { id: string, subdomain: string }) {
  const created = await createSubscription(deps(), license)
  const paypalId = (await row(created.id)).paypalSubscriptionId!
  approveSubscription(paypal.fake.state, fakeSub(paypalId))
  await getSubscription(deps(), license.id)
  return { created, paypalId }
}

/** A webhook as PayPal would send it after `type` happened (the fake moves first unless `apply` is false). */
function webhook(paypalId: string, type: SubscriptionEventType, options: { apply?: boolean, webhookId?: string } = {}) {
  const sub = fakeSub(paypalId)
  if (options.apply !== false) {
    if (type === 'BILLING.SUBSCRIPTION.CANCELLED') sub.status = 'CANCELLED'
    if (type === 'BILLING.SUBSCRIPTION.SUSPENDED') sub.status = 'SUSPENDED'
    if (type === 'BILLING.SUBSCRIPTION.RE-ACTIVATED') sub.status = 'ACTIVE'
    if (type === 'BILLING.SUBSCRIPTION.CANCELLED') sub.next_billing_time = undefined
  }
  const event = subscriptionEvent(sub, type, paypal.fake.url)
  const headers = signWebhook(paypal.fake.state, paypal.fake.url, options.webhookId ?? 'WH-CAIRN-PLATFORM', event)
  return { event: event as unknown as Record<string, unknown>, headers }
}

const storeInput = (enabled: boolean) => parseInput(storeConfigInputSchema, {
  name: 'Lifecycle Store',
  currency: 'USD',
  paypal_client_id: 'store-client',
  paypal_client_secret: 'store-secret',
  paypal_mode: 'sandbox',
  enabled,
})

const saveConfig = (licenseId: string, enabled: boolean) => saveStoreConfig(t.deps, licenseId, storeInput(enabled))

describe('webstore subscription lifecycle', () => {
  it('create → approve → ACTIVE → enable → CANCELLED webhook → store closed; forged/replayed webhooks change nothing; reactivation restores', async () => {
    const license = await newLicense()
    const db = t.db

    const created = await createSubscription(deps(), license)
    expect(created.status).toBe('APPROVAL_PENDING')
    expect(created.approval_url).toMatch(new RegExp(`^${paypal.fake.url}/webapps/billing/subscriptions\\?ba_token=BA-`))
    const stored = await row(created.id)
    expect(stored).toMatchObject({ licenseId: license.id, status: 'APPROVAL_PENDING', planId: 'P-CAIRNWEBSTORE01' })
    const paypalId = stored.paypalSubscriptionId!
    expect(fakeSub(paypalId)).toMatchObject({ custom_id: license.id, plan_id: 'P-CAIRNWEBSTORE01', requestId: created.id })
    expect(fakeSub(paypalId).returnUrl).toBe(`https://panel.example.test/admin/webstore/subscription?license=${license.id}&paypal=return`)

    // Asking again before approving reuses the same PayPal subscription and link.
    expect(await createSubscription(deps(), license)).toEqual(created)

    // Not approved yet: the store cannot be enabled, and says why.
    const refused = await rejection(saveConfig(license.id, true))
    expect(refused.statusCode).toBe(400)
    expect(refused.data?.missing).toEqual(['subscription'])

    // The owner approves at PayPal and returns: GET shows ACTIVE without any webhook.
    approveSubscription(paypal.fake.state, fakeSub(paypalId))
    const active = await getSubscription(deps(), license.id)
    expect(active).toMatchObject({ id: created.id, status: 'ACTIVE', paypal_subscription_id: paypalId, cancelled_at: null })
    const periodEnd = new Date(active!.current_period_end!).getTime()
    expect(periodEnd).toBeGreaterThan(Date.now() + 27 * 86_400_000)
    expect(periodEnd).toBeLessThan(Date.now() + 32 * 86_400_000)

    const again = await rejection(createSubscription(deps(), license))
    expect(again.statusCode).toBe(409)

    // The store can be enabled now, and the webstore module install is queued once.
    const enabled = await saveConfig(license.id, true)
    expect(enabled.enabled).toBe(true)
    await saveConfig(license.id, true)
    expect((await findOpenStore(t.deps, license.subdomain)).license.id).toBe(license.id)
    const installs = await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, license.id))
    expect(installs).toHaveLength(1)
    expect(installs[0]).toMatchObject({ moduleId: 'webstore', status: 'queued' })

    // PayPal cancels (e.g. from the owner's PayPal account): the signed webhook closes the store.
    const cancelled = webhook(paypalId, 'BILLING.SUBSCRIPTION.CANCELLED')
    expect(await handleSubscriptionWebhook(deps(), cancelled.headers, cancelled.event)).toEqual({ outcome: 'changed' })
    const afterCancel = await row(created.id)
    expect(afterCancel.status).toBe('CANCELLED')
    expect(afterCancel.cancelledAt).not.toBeNull()
    // The end of the paid period is kept for the panel.
    expect(afterCancel.currentPeriodEnd?.getTime()).toBe(periodEnd)
    expect((await rejection(findOpenStore(t.deps, license.subdomain))).statusCode).toBe(404)
    const reEnable = await rejection(saveConfig(license.id, true))
    expect(reEnable.data?.missing).toEqual(['subscription'])
    // Data is kept: the config is still there and still marked enabled by the owner.
    const [config] = await db.select().from(storeConfig).where(eq(storeConfig.licenseId, license.id))
    expect(config?.enabled).toBe(true)

    // PayPal (say, a support agent) re-activates it, but a forged ACTIVATED event is refused and changes nothing.
    fakeSub(paypalId).status = 'ACTIVE'
    const forged = webhook(paypalId, 'BILLING.SUBSCRIPTION.ACTIVATED', { apply: false })
    forged.headers['paypal-transmission-sig'] = Buffer.from('forged').toString('base64')
    expect((await rejection(handleSubscriptionWebhook(deps(), forged.headers, forged.event))).statusCode).toBe(400)
    // Signed for another webhook id (another app's): refused too.
    const otherApp = webhook(paypalId, 'BILLING.SUBSCRIPTION.ACTIVATED', { apply: false, webhookId: 'WH-SOMEONE-ELSE' })
    expect((await rejection(handleSubscriptionWebhook(deps(), otherApp.headers, otherApp.event))).statusCode).toBe(400)
    // Body changed after signing: refused.
    const tampered = webhook(paypalId, 'BILLING.SUBSCRIPTION.ACTIVATED', { apply: false })
    expect((await rejection(handleSubscriptionWebhook(deps(), tampered.headers, { ...tampered.event, summary: 'tampered' }))).statusCode).toBe(400)
    // The genuine CANCELLED event replayed: a no-op.
    expect(await handleSubscriptionWebhook(deps(), cancelled.headers, cancelled.event)).toEqual({ outcome: 'duplicate' })
    expect((await row(created.id)).status).toBe('CANCELLED')
    expect((await rejection(findOpenStore(t.deps, license.subdomain))).statusCode).toBe(404)
    const events = await db.select().from(paypalWebhookEvents).where(and(eq(paypalWebhookEvents.scope, 'platform'), eq(paypalWebhookEvents.eventId, String(cancelled.event.id))))
    expect(events).toHaveLength(1)
    fakeSub(paypalId).status = 'CANCELLED'

    // A new subscription brings the same store back, untouched; no second module install.
    const renewed = await createSubscription(deps(), license)
    expect(renewed.id).not.toBe(created.id)
    const renewedPaypalId = (await row(renewed.id)).paypalSubscriptionId!
    approveSubscription(paypal.fake.state, fakeSub(renewedPaypalId))
    const activated = webhook(renewedPaypalId, 'BILLING.SUBSCRIPTION.ACTIVATED', { apply: false })
    expect(await handleSubscriptionWebhook(deps(), activated.headers, activated.event)).toEqual({ outcome: 'changed' })
    expect((await findOpenStore(t.deps, license.subdomain)).config.name).toBe('Lifecycle Store')
    expect(await getSubscription(deps(), license.id)).toMatchObject({ id: renewed.id, status: 'ACTIVE' })
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, license.id))).toHaveLength(1)
  })

  it('payments move the paid period; suspension closes the store until PayPal re-activates it', async () => {
    const license = await newLicense()
    const { created, paypalId } = await approvedSubscription(license)
    await saveConfig(license.id, true)
    const firstEnd = (await row(created.id)).currentPeriodEnd!.getTime()

    const sale = webhook(paypalId, 'PAYMENT.SALE.COMPLETED', { apply: false })
    // The fake bills the next cycle, then reports the sale.
    const sub = fakeSub(paypalId)
    const next = new Date(sub.next_billing_time!)
    next.setUTCMonth(next.getUTCMonth() + 1)
    sub.next_billing_time = next.toISOString()
    expect(await handleSubscriptionWebhook(deps(), sale.headers, sale.event)).toEqual({ outcome: 'changed' })
    expect((await row(created.id)).currentPeriodEnd!.getTime()).toBeGreaterThan(firstEnd + 27 * 86_400_000)

    const failed = webhook(paypalId, 'BILLING.SUBSCRIPTION.PAYMENT.FAILED', { apply: false })
    expect(await handleSubscriptionWebhook(deps(), failed.headers, failed.event)).toEqual({ outcome: 'unchanged' })

    const suspended = webhook(paypalId, 'BILLING.SUBSCRIPTION.SUSPENDED')
    await handleSubscriptionWebhook(deps(), suspended.headers, suspended.event)
    expect((await row(created.id)).status).toBe('SUSPENDED')
    expect((await rejection(findOpenStore(t.deps, license.subdomain))).statusCode).toBe(404)

    const back = webhook(paypalId, 'BILLING.SUBSCRIPTION.RE-ACTIVATED')
    await handleSubscriptionWebhook(deps(), back.headers, back.event)
    expect((await row(created.id)).status).toBe('ACTIVE')
    expect((await findOpenStore(t.deps, license.subdomain)).license.id).toBe(license.id)
  })

  it('the webhook trusts PayPal, not the event: a genuine event whose subscription PayPal still has ACTIVE keeps it ACTIVE', async () => {
    const license = await newLicense()
    const { created, paypalId } = await approvedSubscription(license)
    // Signed by PayPal but stale (e.g. delivered out of order): PayPal's current state wins.
    const stale = webhook(paypalId, 'BILLING.SUBSCRIPTION.EXPIRED', { apply: false })
    expect(await handleSubscriptionWebhook(deps(), stale.headers, stale.event)).toEqual({ outcome: 'unchanged' })
    expect((await row(created.id)).status).toBe('ACTIVE')
  })

  it('events about subscriptions Cairn does not know are recorded and ignored; bad bodies are 400', async () => {
    const event = { id: `WH-${Date.now()}`, event_type: 'BILLING.SUBSCRIPTION.CANCELLED', resource_type: 'subscription', resource: { id: 'I-NOTOURS0000', status: 'CANCELLED' } }
    const headers = signWebhook(paypal.fake.state, paypal.fake.url, 'WH-CAIRN-PLATFORM', event)
    expect(await handleSubscriptionWebhook(deps(), headers, event)).toEqual({ outcome: 'ignored' })
    expect((await rejection(handleSubscriptionWebhook(deps(), headers, { hello: 'world' }))).statusCode).toBe(400)
    // Without a platform webhook id nothing can be verified: refused.
    expect((await rejection(handleSubscriptionWebhook(deps({ ...platformPayPalEnv(), PLATFORM_PAYPAL_WEBHOOK_ID: '' }), headers, { ...event, id: 'WH-other' }))).statusCode).toBe(400)
  })

  it('cancel: 409 without an active subscription; cancels at PayPal with a reason, then here', async () => {
    const license = await newLicense()
    expect((await rejection(cancelSubscription(deps(), license.id))).statusCode).toBe(409)
    const created = await createSubscription(deps(), license)
    // Pending is not cancellable either.
    expect((await rejection(cancelSubscription(deps(), license.id))).statusCode).toBe(409)
    const paypalId = (await row(created.id)).paypalSubscriptionId!
    approveSubscription(paypal.fake.state, fakeSub(paypalId))
    await getSubscription(deps(), license.id)
    const cancelled = await cancelSubscription(deps(), license.id)
    expect(cancelled).toMatchObject({ id: created.id, status: 'CANCELLED' })
    expect(cancelled.cancelled_at).not.toBeNull()
    expect(fakeSub(paypalId)).toMatchObject({ status: 'CANCELLED', status_change_note: 'Cancelled by the server owner in the Cairn panel' })
    expect((await rejection(cancelSubscription(deps(), license.id))).statusCode).toBe(409)
  })

  it('without PLATFORM_PAYPAL_* create and cancel answer 503 with a clear message; GET still works', async () => {
    const license = await newLicense()
    const error = await rejection(createSubscription(deps({}), license))
    expect(error.statusCode).toBe(503)
    expect(error.message).toMatch(/not configured/)
    expect(await getSubscription(deps({}), license.id)).toBeNull()
    expect(platformPayPal(loadEnv({ PLATFORM_PAYPAL_CLIENT_ID: 'x', PLATFORM_PAYPAL_CLIENT_SECRET: 'y' }))).toBeNull()
  })

  it('PayPal is called outside the license lock, and a create arriving meanwhile shares the same PayPal subscription', async () => {
    const license = await newLicense()
    const gate = paypal.fake.state.hold('/v1/billing/subscriptions')
    const first = createSubscription(deps(), license)
    await gate.reached
    // While PayPal works on the first create, nothing holds the license row...
    const db = t.db
    await db.transaction(async (tx) => {
      await tx.execute(sql`select id from licenses where id = ${license.id} for no key update nowait`)
    })
    // ...and a second create finds the reserved row and gets the same subscription from PayPal.
    const second = await createSubscription(deps(), license)
    gate.release()
    expect(await first).toEqual(second)
    const atPayPal = [...subscriptionState(paypal.fake.state).subscriptions.values()].filter(s => s.custom_id === license.id)
    expect(atPayPal).toHaveLength(1)
    const rows = await db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.licenseId, license.id))
    expect(rows).toMatchObject([{ id: second.id, status: 'APPROVAL_PENDING', paypalSubscriptionId: atPayPal[0]!.id }])
  })

  it('a create PayPal fails leaves no row behind (503); the next one starts afresh', async () => {
    const license = await newLicense()
    paypal.fake.state.failures.push({ pathPrefix: '/v1/billing/subscriptions', status: 500, remaining: 1 })
    const error = await rejection(createSubscription(deps(), license))
    expect(error.statusCode).toBe(503)
    const db = t.db
    expect(await db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.licenseId, license.id))).toEqual([])
    const created = await createSubscription(deps(), license)
    expect((await row(created.id)).paypalSubscriptionId).toMatch(/^I-/)
  })

  it('a second approved subscription is cancelled instead of billing the owner twice', async () => {
    const license = await newLicense()
    const first = await createSubscription(deps(), license)
    const firstPaypal = (await row(first.id)).paypalSubscriptionId!
    // An old pending one is not reused after 3 hours: the owner starts a second checkout.
    await t.db.update(webstoreSubscriptions).set({ createdAt: new Date(Date.now() - 4 * 3_600_000) }).where(eq(webstoreSubscriptions.id, first.id))
    const second = await createSubscription(deps(), license)
    expect(second.id).not.toBe(first.id)
    const secondPaypal = (await row(second.id)).paypalSubscriptionId!
    approveSubscription(paypal.fake.state, fakeSub(firstPaypal))
    approveSubscription(paypal.fake.state, fakeSub(secondPaypal))
    const current = await getSubscription(deps(), license.id)
    expect(current?.status).toBe('ACTIVE')
    const statuses = [(await row(first.id)).status, (await row(second.id)).status].sort()
    expect(statuses).toEqual(['ACTIVE', 'CANCELLED'])
    const paypalStatuses = [fakeSub(firstPaypal).status, fakeSub(secondPaypal).status].sort()
    expect(paypalStatuses).toEqual(['ACTIVE', 'CANCELLED'])
  })

  it('enabling queues the webstore module install only when the store opens and the server lacks it', async () => {
    const license = await newLicense()
    const db = t.db
    await db.insert(webstoreSubscriptions).values({ licenseId: license.id, status: 'ACTIVE', paypalSubscriptionId: `I-AUTO${license.id.slice(0, 8)}` })
    await saveConfig(license.id, false)
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, license.id))).toHaveLength(0)
    await saveConfig(license.id, true)
    await saveConfig(license.id, true)
    const [install] = await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, license.id))
    const outbox = await db.select().from(deliveries).where(and(eq(deliveries.licenseId, license.id), eq(deliveries.kind, 'module_install')))
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ id: install!.id, refId: install!.id, status: 'pending' })
    expect(outbox[0]!.payload).toMatchObject({ id: install!.id, module_id: 'webstore', version: install!.version })
    // Closing and re-opening while the install is in flight (or after it succeeded) adds nothing.
    await saveConfig(license.id, false)
    await saveConfig(license.id, true)
    await db.update(moduleInstalls).set({ status: 'installed' }).where(eq(moduleInstalls.id, install!.id))
    await saveConfig(license.id, false)
    await saveConfig(license.id, true)
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, license.id))).toHaveLength(1)
  })
})
