import { randomUUID } from 'node:crypto'
import { bearerApp, isResponse, paypalError, route, type FakeRequest, type FakeResponse, type FakeRoute } from './http'
import { fakeId, type FakeState } from './state'
import { signWebhook } from './webhooks'

// Subscriptions v1 subset for the platform's webstore billing: plans, subscriptions
// create/get/cancel, the buyer's approval page, and test controls under /__fake/subscriptions
// (approve as the buyer, change the status as PayPal would, emit signed webhooks). Passed to
// `startFakePayPal({ extraRoutes: subscriptionRoutes })`; state lives in `state.extra`.

/** The platform PayPal app the test servers are configured with (PLATFORM_PAYPAL_*). */
export const PLATFORM_APP = {
  clientId: 'cairn-platform-client',
  clientSecret: 'cairn-platform-secret',
  planId: 'P-CAIRNWEBSTORE01',
  webhookId: 'WH-CAIRN-PLATFORM',
} as const

/** Environment for a Cairn server that bills webstore subscriptions through the fake. */
export function platformPayPalEnv(): Record<string, string> {
  return {
    PLATFORM_PAYPAL_CLIENT_ID: PLATFORM_APP.clientId,
    PLATFORM_PAYPAL_CLIENT_SECRET: PLATFORM_APP.clientSecret,
    PLATFORM_PAYPAL_PLAN_ID: PLATFORM_APP.planId,
    PLATFORM_PAYPAL_WEBHOOK_ID: PLATFORM_APP.webhookId,
    PLATFORM_PAYPAL_MODE: 'sandbox',
  }
}

export interface FakePlan {
  id: string
  owner: string
  product_id: string
  name: string
  status: 'ACTIVE' | 'INACTIVE'
  price: { value: string, currency_code: string }
}

export type FakeSubscriptionStatus = 'APPROVAL_PENDING' | 'APPROVED' | 'ACTIVE' | 'SUSPENDED' | 'CANCELLED' | 'EXPIRED'

export interface FakeSubscription {
  id: string
  owner: string
  plan_id: string
  custom_id: string | undefined
  status: FakeSubscriptionStatus
  status_change_note: string | undefined
  baToken: string
  returnUrl: string | undefined
  cancelUrl: string | undefined
  requestId: string | undefined
  create_time: string
  update_time: string
  status_update_time: string
  start_time: string | undefined
  next_billing_time: string | undefined
  last_payment: { amount: { value: string, currency_code: string }, time: string } | undefined
  failed_payments_count: number
  cycles_completed: number
}

interface SubscriptionState {
  plans: Map<string, FakePlan>
  subscriptions: Map<string, FakeSubscription>
  /** `${clientId}:${requestId}` → subscription id (PayPal-Request-Id idempotency). */
  requestIds: Map<string, string>
}

export function subscriptionState(state: FakeState): SubscriptionState {
  let s = state.extra.get('subscriptions') as SubscriptionState | undefined
  if (!s) {
    s = { plans: new Map(), subscriptions: new Map(), requestIds: new Map() }
    state.extra.set('subscriptions', s)
  }
  return s
}

/** Registers the platform app (with its webhook id) and its monthly plan on a fake. */
export function registerPlatformApp(state: FakeState): void {
  state.registerApp(PLATFORM_APP.clientId, PLATFORM_APP.clientSecret, [PLATFORM_APP.webhookId])
  addPlan(state, PLATFORM_APP.clientId, PLATFORM_APP.planId)
}

export function addPlan(state: FakeState, owner: string, id = `P-${fakeId()}`, price = { value: '5.00', currency_code: 'USD' }): FakePlan {
  const plan: FakePlan = { id, owner, product_id: 'PROD-CAIRNWEBSTORE', name: 'Cairn webstore (monthly)', status: 'ACTIVE', price }
  subscriptionState(state).plans.set(id, plan)
  return plan
}

const nowIso = () => new Date().toISOString()

function addMonth(iso: string | undefined): string {
  const d = iso ? new Date(iso) : new Date()
  d.setUTCMonth(d.getUTCMonth() + 1)
  return d.toISOString()
}

function setStatus(sub: FakeSubscription, status: FakeSubscriptionStatus, note?: string): void {
  sub.status = status
  sub.status_change_note = note
  sub.update_time = nowIso()
  sub.status_update_time = sub.update_time
  if (status === 'CANCELLED' || status === 'EXPIRED') sub.next_billing_time = undefined
}

/** A successful billing cycle: the first one on activation, then each renewal. */
function chargeCycle(state: FakeState, sub: FakeSubscription): void {
  const plan = subscriptionState(state).plans.get(sub.plan_id)
  const time = nowIso()
  sub.last_payment = { amount: { ...(plan?.price ?? { value: '5.00', currency_code: 'USD' }) }, time }
  sub.cycles_completed += 1
  sub.next_billing_time = addMonth(sub.next_billing_time ?? time)
  sub.update_time = time
}

/** What the buyer's "Agree & subscribe" does: the subscription becomes ACTIVE and the first cycle is paid. */
export function approveSubscription(state: FakeState, sub: FakeSubscription): void {
  if (sub.status !== 'APPROVAL_PENDING' && sub.status !== 'APPROVED') return
  sub.start_time = nowIso()
  setStatus(sub, 'ACTIVE')
  chargeCycle(state, sub)
}

export function presentSubscription(sub: FakeSubscription, baseUrl: string) {
  const self = `${baseUrl}/v1/billing/subscriptions/${sub.id}`
  const links: Array<{ href: string, rel: string, method: string }> = []
  if (sub.status === 'APPROVAL_PENDING') links.push({ href: `${baseUrl}/webapps/billing/subscriptions?ba_token=${sub.baToken}`, rel: 'approve', method: 'GET' })
  links.push({ href: self, rel: 'edit', method: 'PATCH' }, { href: self, rel: 'self', method: 'GET' })
  if (sub.status === 'ACTIVE' || sub.status === 'SUSPENDED') links.push({ href: `${self}/cancel`, rel: 'cancel', method: 'POST' })
  const active = sub.status !== 'APPROVAL_PENDING'
  return {
    id: sub.id,
    plan_id: sub.plan_id,
    status: sub.status,
    ...(sub.status_change_note ? { status_change_note: sub.status_change_note } : {}),
    status_update_time: sub.status_update_time,
    ...(sub.custom_id ? { custom_id: sub.custom_id } : {}),
    quantity: '1',
    ...(sub.start_time ? { start_time: sub.start_time } : {}),
    ...(active ? { subscriber: { email_address: 'owner-buyer@example.test', payer_id: 'FAKEOWNER01', name: { given_name: 'Server', surname: 'Owner' } } } : {}),
    ...(active
      ? {
          billing_info: {
            outstanding_balance: { currency_code: 'USD', value: '0.00' },
            cycle_executions: [{ tenure_type: 'REGULAR', sequence: 1, cycles_completed: sub.cycles_completed, cycles_remaining: 0, total_cycles: 0 }],
            ...(sub.last_payment ? { last_payment: sub.last_payment } : {}),
            ...(sub.next_billing_time ? { next_billing_time: sub.next_billing_time } : {}),
            failed_payments_count: sub.failed_payments_count,
          },
        }
      : {}),
    create_time: sub.create_time,
    update_time: sub.update_time,
    links,
  }
}

const notFound = () => paypalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Requested resource ID was not found.')

function ownedSubscription(req: FakeRequest): FakeSubscription | FakeResponse {
  const auth = bearerApp(req)
  if (isResponse(auth)) return auth
  const sub = subscriptionState(req.state).subscriptions.get(req.params[0] ?? '')
  return sub && sub.owner === auth.clientId ? sub : notFound()
}

interface CreateBody {
  plan_id?: string
  custom_id?: string
  application_context?: { return_url?: string, cancel_url?: string }
}

function createSubscription(req: FakeRequest): FakeResponse {
  const auth = bearerApp(req)
  if (isResponse(auth)) return auth
  const s = subscriptionState(req.state)
  const requestId = typeof req.headers['paypal-request-id'] === 'string' ? req.headers['paypal-request-id'] : undefined
  if (requestId) {
    const existing = s.subscriptions.get(s.requestIds.get(`${auth.clientId}:${requestId}`) ?? '')
    if (existing) return { status: 201, body: presentSubscription(existing, req.baseUrl) }
  }
  const body = (req.body ?? {}) as CreateBody
  const plan = s.plans.get(body.plan_id ?? '')
  if (!body.plan_id) return paypalError(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'plan_id is required.')
  if (!plan || plan.owner !== auth.clientId) return paypalError(422, 'UNPROCESSABLE_ENTITY', 'INVALID_PLAN_ID', 'The specified plan id is invalid.')
  if (plan.status !== 'ACTIVE') return paypalError(422, 'UNPROCESSABLE_ENTITY', 'PLAN_STATUS_INVALID', 'Invalid plan status.')
  const now = nowIso()
  const sub: FakeSubscription = {
    id: `I-${fakeId().slice(0, 12)}`,
    owner: auth.clientId,
    plan_id: plan.id,
    custom_id: typeof body.custom_id === 'string' ? body.custom_id.slice(0, 127) : undefined,
    status: 'APPROVAL_PENDING',
    status_change_note: undefined,
    baToken: `BA-${fakeId()}`,
    returnUrl: body.application_context?.return_url,
    cancelUrl: body.application_context?.cancel_url,
    requestId,
    create_time: now,
    update_time: now,
    status_update_time: now,
    start_time: undefined,
    next_billing_time: undefined,
    last_payment: undefined,
    failed_payments_count: 0,
    cycles_completed: 0,
  }
  s.subscriptions.set(sub.id, sub)
  if (requestId) s.requestIds.set(`${auth.clientId}:${requestId}`, sub.id)
  return { status: 201, body: presentSubscription(sub, req.baseUrl) }
}

function cancelSubscription(req: FakeRequest): FakeResponse {
  const sub = ownedSubscription(req)
  if (isResponse(sub)) return sub
  if (sub.status !== 'ACTIVE' && sub.status !== 'SUSPENDED') {
    return paypalError(422, 'UNPROCESSABLE_ENTITY', 'SUBSCRIPTION_STATUS_INVALID', 'Invalid subscription status for cancel action; subscription status should be active or suspended.')
  }
  const reason = (req.body as { reason?: unknown } | undefined)?.reason
  if (typeof reason !== 'string' || reason === '') return paypalError(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'reason is required.')
  setStatus(sub, 'CANCELLED', reason)
  return { status: 204 }
}

/** The subscription behind `?ba_token=` of the buyer pages. */
function byToken(state: FakeState, token: string | null): FakeSubscription | undefined {
  for (const sub of subscriptionState(state).subscriptions.values()) if (sub.baToken === token) return sub
  return undefined
}

export type SubscriptionEventType =
  | 'BILLING.SUBSCRIPTION.ACTIVATED' | 'BILLING.SUBSCRIPTION.CANCELLED' | 'BILLING.SUBSCRIPTION.SUSPENDED'
  | 'BILLING.SUBSCRIPTION.EXPIRED' | 'BILLING.SUBSCRIPTION.PAYMENT.FAILED' | 'BILLING.SUBSCRIPTION.RE-ACTIVATED'
  | 'PAYMENT.SALE.COMPLETED'

/** Moves the fake subscription as the event says happened at PayPal. */
function applyEvent(state: FakeState, sub: FakeSubscription, type: SubscriptionEventType): void {
  switch (type) {
    case 'BILLING.SUBSCRIPTION.ACTIVATED':
    case 'BILLING.SUBSCRIPTION.RE-ACTIVATED':
      if (sub.status === 'APPROVAL_PENDING' || sub.status === 'APPROVED') approveSubscription(state, sub)
      else setStatus(sub, 'ACTIVE')
      break
    case 'BILLING.SUBSCRIPTION.CANCELLED': setStatus(sub, 'CANCELLED', 'Cancelled at PayPal')
      break
    case 'BILLING.SUBSCRIPTION.SUSPENDED': setStatus(sub, 'SUSPENDED', 'Suspended at PayPal')
      break
    case 'BILLING.SUBSCRIPTION.EXPIRED': setStatus(sub, 'EXPIRED')
      break
    case 'BILLING.SUBSCRIPTION.PAYMENT.FAILED':
      sub.failed_payments_count += 1
      sub.update_time = nowIso()
      break
    case 'PAYMENT.SALE.COMPLETED': chargeCycle(state, sub)
      break
  }
}

/** A webhook event shaped like PayPal's for the subscription as it now stands. */
export function subscriptionEvent(sub: FakeSubscription, type: SubscriptionEventType, baseUrl: string, id = `WH-${randomUUID()}`) {
  const base = { id, event_version: '1.0', create_time: nowIso(), event_type: type, summary: `fake ${type}` }
  if (type === 'PAYMENT.SALE.COMPLETED') {
    return {
      ...base,
      resource_type: 'sale',
      resource: {
        id: `SALE-${fakeId()}`,
        state: 'completed',
        amount: { total: sub.last_payment?.amount.value ?? '5.00', currency: sub.last_payment?.amount.currency_code ?? 'USD', details: { subtotal: sub.last_payment?.amount.value ?? '5.00' } },
        payment_mode: 'INSTANT_TRANSFER',
        billing_agreement_id: sub.id,
        ...(sub.custom_id ? { custom: sub.custom_id } : {}),
        create_time: sub.last_payment?.time ?? base.create_time,
        update_time: sub.last_payment?.time ?? base.create_time,
      },
    }
  }
  return { ...base, resource_type: 'subscription', resource_version: '2.0', resource: presentSubscription(sub, baseUrl) }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function controlSubscription(req: FakeRequest): FakeSubscription | FakeResponse {
  return subscriptionState(req.state).subscriptions.get(req.params[0] ?? '') ?? notFound()
}

export const subscriptionRoutes: FakeRoute[] = [
  // Plans (PayPal requires a product; the fake only keeps its id).
  route('POST', /^\/v1\/billing\/plans$/, (req) => {
    const auth = bearerApp(req)
    if (isResponse(auth)) return auth
    const body = (req.body ?? {}) as { product_id?: string, name?: string }
    if (!body.product_id || !body.name) return paypalError(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'product_id and name are required.')
    const plan = addPlan(req.state, auth.clientId)
    plan.name = body.name
    plan.product_id = body.product_id
    return { status: 201, body: plan }
  }),
  route('GET', /^\/v1\/billing\/plans\/([^/]+)$/, (req) => {
    const auth = bearerApp(req)
    if (isResponse(auth)) return auth
    const plan = subscriptionState(req.state).plans.get(req.params[0] ?? '')
    return plan && plan.owner === auth.clientId ? { status: 200, body: plan } : notFound()
  }),

  route('POST', /^\/v1\/billing\/subscriptions$/, createSubscription),
  route('GET', /^\/v1\/billing\/subscriptions\/([^/]+)$/, (req) => {
    const sub = ownedSubscription(req)
    return isResponse(sub) ? sub : { status: 200, body: presentSubscription(sub, req.baseUrl) }
  }),
  route('POST', /^\/v1\/billing\/subscriptions\/([^/]+)\/cancel$/, cancelSubscription),

  // The buyer's approval page (the `approve` link), with "subscribe" and "cancel" buttons.
  route('GET', /^\/webapps\/billing\/subscriptions$/, (req) => {
    const sub = byToken(req.state, req.query.get('ba_token'))
    if (!sub) return { status: 404, text: '<!doctype html><title>Not found</title><p>Unknown subscription</p>' }
    const plan = subscriptionState(req.state).plans.get(sub.plan_id)
    const token = encodeURIComponent(sub.baToken)
    return {
      status: 200,
      text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Fake PayPal subscription</title></head><body>
<h1>Fake PayPal</h1><p id="plan">${escapeHtml(plan?.name ?? sub.plan_id)}: ${escapeHtml(plan?.price.value ?? '?')} ${escapeHtml(plan?.price.currency_code ?? '')} / month</p>
<form method="post" action="/webapps/billing/subscriptions/approve?ba_token=${token}"><button id="approve" type="submit">Agree &amp; subscribe</button></form>
<form method="post" action="/webapps/billing/subscriptions/cancel?ba_token=${token}"><button id="cancel" type="submit">Cancel and return</button></form>
</body></html>`,
    }
  }),
  route('POST', /^\/webapps\/billing\/subscriptions\/(approve|cancel)$/, (req) => {
    const sub = byToken(req.state, req.query.get('ba_token'))
    if (!sub) return { status: 404, text: 'Unknown subscription' }
    const approve = req.params[0] === 'approve'
    if (approve) approveSubscription(req.state, sub)
    const target = approve ? sub.returnUrl : sub.cancelUrl
    if (!target) return { status: 200, text: approve ? 'subscribed (no return url)' : 'cancelled (no cancel url)' }
    const url = new URL(target)
    if (approve) url.searchParams.set('subscription_id', sub.id)
    url.searchParams.set('ba_token', sub.baToken)
    url.searchParams.set('token', sub.baToken)
    return { status: 303, headers: { location: url.toString() }, text: '' }
  }),

  // Test controls.
  route('POST', /^\/__fake\/plans$/, (req) => {
    const body = (req.body ?? {}) as { client_id?: string, plan_id?: string }
    if (!body.client_id || !req.state.apps.has(body.client_id)) return { status: 400, body: { error: 'client_id of a registered app required' } }
    return { status: 201, body: addPlan(req.state, body.client_id, body.plan_id) }
  }),
  /** Every subscription created with `?custom_id=` (Cairn sets it to the license id). */
  route('GET', /^\/__fake\/subscriptions$/, (req) => {
    const customId = req.query.get('custom_id')
    const subs = [...subscriptionState(req.state).subscriptions.values()].filter(sub => sub.custom_id === customId)
    return { status: 200, body: { subscriptions: subs.map(sub => presentSubscription(sub, req.baseUrl)) } }
  }),
  route('GET', /^\/__fake\/subscriptions\/([^/]+)$/, (req) => {
    const sub = controlSubscription(req)
    return isResponse(sub) ? sub : { status: 200, body: { ...presentSubscription(sub, req.baseUrl), owner: sub.owner, return_url: sub.returnUrl, cancel_url: sub.cancelUrl, request_id: sub.requestId } }
  }),
  /**
   * The buyer approves. `{ "hold": true }` stops at APPROVED (approved, not yet activated: PayPal's
   * documented intermediate state); approving again then activates it.
   */
  route('POST', /^\/__fake\/subscriptions\/([^/]+)\/approve$/, (req) => {
    const sub = controlSubscription(req)
    if (isResponse(sub)) return sub
    if ((req.body as { hold?: unknown } | undefined)?.hold === true && sub.status === 'APPROVAL_PENDING') setStatus(sub, 'APPROVED')
    else approveSubscription(req.state, sub)
    return { status: 200, body: { ...presentSubscription(sub, req.baseUrl), return_url: sub.returnUrl } }
  }),
  /**
   * Something happened at PayPal (`event_type`): the subscription changes accordingly and the
   * event is signed for `webhook_id` (default: the platform's). `apply: false` only signs.
   */
  route('POST', /^\/__fake\/subscriptions\/([^/]+)\/webhook$/, (req) => {
    const sub = controlSubscription(req)
    if (isResponse(sub)) return sub
    const body = (req.body ?? {}) as { event_type?: SubscriptionEventType, webhook_id?: string, event_id?: string, apply?: boolean }
    if (!body.event_type) return { status: 400, body: { error: 'event_type required' } }
    if (body.apply !== false) applyEvent(req.state, sub, body.event_type)
    const event = subscriptionEvent(sub, body.event_type, req.baseUrl, body.event_id)
    const headers = signWebhook(req.state, req.baseUrl, body.webhook_id ?? PLATFORM_APP.webhookId, event)
    return { status: 200, body: { event, headers } }
  }),
]
