import { inject } from 'vitest'
import type { Db } from '../../server/db'
import { storeCategories, storeConfig, storeItems, webstoreSubscriptions, type License, type StoreCommand, type StoreItemRow } from '../../server/db/schema'
import { createLicense } from '../../server/domains/licenses/licenses'
import { createUser } from '../../server/domains/auth/users'
import { sealPaypalSecret } from '../../server/domains/webstore/config'
import type { Deps } from '../../server/platform/deps'
import { call, type ApiResponse } from './http'
import { testDeps, testEnvWith } from './deps'
import type { FakeStats } from '../fakes/paypal/state'

// Drives the fake PayPal (tests/fakes/paypal) from test workers over HTTP: register the store
// owner's app, approve an order as the buyer, change captures as PayPal would, emit webhooks.

let override: string | undefined

/** Services tests run their own fake in-process and point the helpers at it. */
export function usePayPalUrl(url: string): void {
  override = url
}

export function paypalUrl(): string {
  return override ?? inject('paypalUrl')
}

/** Calls the fake PayPal's test controls (`/__fake/...`): GET without a body, POST with one. */
export async function control<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${paypalUrl()}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`fake PayPal ${path}: ${res.status} ${text}`)
  return JSON.parse(text) as T
}

/**
 * `deps` with PayPal at the fake (`PAYPAL_API_BASE`), for calling domain functions in-process;
 * `env` adds variables (e.g. the platform app's PLATFORM_PAYPAL_*).
 */
export function withPayPal<D extends Deps>(deps: D, env: Record<string, string> = {}): D {
  return { ...deps, env: testEnvWith({ PAYPAL_API_BASE: paypalUrl(), ...env }) }
}

export interface PayPalApp {
  clientId: string
  clientSecret: string
  webhookId: string
}

/** A fresh REST app (credentials + one webhook id) known to the fake. */
export async function registerPayPalApp(tag = 'store'): Promise<PayPalApp> {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  const app = { clientId: `client-${tag}-${suffix}`, clientSecret: `secret-${suffix}`, webhookId: `WH-${suffix.toUpperCase()}` }
  await control('/__fake/apps', { client_id: app.clientId, client_secret: app.clientSecret, webhook_ids: [app.webhookId] })
  return app
}

export interface FakeOrderView {
  id: string
  status: string
  owner: string
  return_url?: string
  cancel_url?: string
  request_id?: string
  purchase_units: Array<{
    custom_id?: string
    amount: { currency_code: string, value: string, breakdown?: Record<string, { currency_code: string, value: string }> }
    items?: Array<{ name: string, quantity: string, unit_amount: { currency_code: string, value: string }, sku?: string }>
    payments?: { captures: Array<{ id: string, status: string, amount: { currency_code: string, value: string }, custom_id?: string }> }
  }>
  links: Array<{ href: string, rel: string }>
}

export const fakeOrder = (orderId: string) => control<FakeOrderView>(`/__fake/orders/${encodeURIComponent(orderId)}`)

/** The buyer approves at PayPal; returns the order (with the return URL Cairn gave). */
export const approveAsBuyer = (orderId: string) => control<FakeOrderView>(`/__fake/orders/${encodeURIComponent(orderId)}/approve`, {})

/** PayPal captures on its side (e.g. the buyer paid and PayPal reports it by webhook). */
export const completeAtPayPal = (orderId: string) => control<{ order: FakeOrderView, capture: { id: string } }>(`/__fake/orders/${encodeURIComponent(orderId)}/complete`, {})

export const setCaptureStatus = (orderId: string, status: 'REFUNDED' | 'REVERSED' | 'COMPLETED') =>
  control<{ capture: { id: string } }>(`/__fake/orders/${encodeURIComponent(orderId)}/capture-status`, { status })

export const fakeStats = () => control<FakeStats>('/__fake/stats')

export type WebhookEventType = 'CHECKOUT.ORDER.APPROVED' | 'CHECKOUT.ORDER.COMPLETED' | 'PAYMENT.CAPTURE.COMPLETED' | 'PAYMENT.CAPTURE.REFUNDED' | 'PAYMENT.CAPTURE.REVERSED' | 'PAYMENT.CAPTURE.DENIED'

/** A webhook event shaped like PayPal's for `order` (fetch it with `fakeOrder` first). */
export function webhookEvent(type: WebhookEventType, order: FakeOrderView, overrides: { id?: string, amount?: string } = {}) {
  const unit = order.purchase_units[0]!
  const capture = unit.payments?.captures[0]
  const amount = { currency_code: unit.amount.currency_code, value: overrides.amount ?? unit.amount.value }
  const resource = type.startsWith('CHECKOUT.ORDER')
    ? { id: order.id, status: order.status, intent: 'CAPTURE', purchase_units: [{ ...unit, amount }] }
    : {
        id: capture?.id ?? 'CAPTURE-UNKNOWN',
        status: capture?.status ?? 'COMPLETED',
        amount,
        custom_id: unit.custom_id,
        supplementary_data: { related_ids: { order_id: order.id } },
      }
  return {
    id: overrides.id ?? `WH-EVT-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    event_version: '1.0',
    create_time: new Date().toISOString(),
    resource_type: type.startsWith('CHECKOUT.ORDER') ? 'checkout-order' : type === 'PAYMENT.CAPTURE.REFUNDED' ? 'refund' : 'capture',
    event_type: type,
    summary: `fake ${type}`,
    resource,
  }
}

/**
 * POSTs `event` to a Cairn webhook path with PayPal's transmission headers. `forge` sends a bad
 * signature (`signature`) or changes the body after signing (`body`).
 */
export async function sendWebhook(path: string, webhookId: string, event: Record<string, unknown>, forge: 'none' | 'signature' | 'body' = 'none'): Promise<ApiResponse> {
  const { headers } = await control<{ headers: Record<string, string> }>('/__fake/webhooks/sign', { webhook_id: webhookId, event })
  if (forge === 'signature') headers['paypal-transmission-sig'] = Buffer.from('forged-signature').toString('base64')
  const body = forge === 'body' ? { ...event, summary: 'tampered after signing' } : event
  return call(path, { method: 'POST', body, headers })
}

export interface StoreFixture {
  license: License
  /** The agent's secret, as provisioning hands it out. */
  companionToken: string
  /** The owner's sign-in. */
  email: string
  password: string
  subdomain: string
  app: PayPalApp
  categoryId: string
}

/**
 * An open store (license active, enabled, ACTIVE subscription) whose PayPal app is registered at
 * the fake. `webhook: false` leaves paypal_webhook_id unset (events are then trusted only
 * through the order fetched back from PayPal).
 */
export async function createOpenStore(db: Db, options: { tag?: string, webhook?: boolean, currency?: 'USD' | 'EUR' | 'GBP' } = {}): Promise<StoreFixture> {
  const tag = options.tag ?? 'shop'
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const email = `${tag}-${suffix}@example.test`
  const deps = testDeps(db)
  const user = await createUser(deps, { email, password: 'correct horse battery' })
  const { license, companionToken } = await createLicense(deps, { userId: user.id, email, hostname: `${tag}-${suffix}.example.net` })
  const app = await registerPayPalApp(tag)
  await db.insert(storeConfig).values({
    licenseId: license.id,
    name: `${tag} store`,
    description: 'Ranks and kits',
    currency: options.currency ?? 'USD',
    paypalClientId: app.clientId,
    paypalClientSecretSealed: sealPaypalSecret(deps, license.id, app.clientSecret),
    paypalMode: 'sandbox',
    paypalWebhookId: options.webhook === false ? null : app.webhookId,
    enabled: true,
  })
  await db.insert(webstoreSubscriptions).values({ licenseId: license.id, status: 'ACTIVE', paypalSubscriptionId: `I-${suffix.toUpperCase()}` })
  const [category] = await db.insert(storeCategories).values({ licenseId: license.id, name: 'Ranks', sortOrder: 1 }).returning()
  return { license, companionToken, subdomain: license.subdomain, app, categoryId: category!.id, email, password: 'correct horse battery' }
}

export async function createStoreItem(db: Db, store: StoreFixture, values: { name?: string, priceCents?: number, stock?: number | null, purchaseLimit?: number | null, commands?: StoreCommand[], enabled?: boolean } = {}): Promise<StoreItemRow> {
  const [item] = await db.insert(storeItems).values({
    licenseId: store.license.id,
    categoryId: store.categoryId,
    name: values.name ?? 'VIP rank',
    description: 'Coloured name and a crate key',
    priceCents: values.priceCents ?? 499,
    commands: values.commands ?? [
      { command: 'lp user {player} parent add vip', require_online: false },
      { command: 'give {player} diamond {quantity}', require_online: true },
    ],
    stock: values.stock ?? null,
    purchaseLimit: values.purchaseLimit ?? null,
    enabled: values.enabled ?? true,
  }).returning()
  return item!
}

/** PayPal transmission headers for `event`, signed by the fake for `webhookId`. */
export async function signedWebhookHeaders(webhookId: string, event: Record<string, unknown>): Promise<Record<string, string>> {
  const { headers } = await control<{ headers: Record<string, string> }>('/__fake/webhooks/sign', { webhook_id: webhookId, event })
  return headers
}

/** PayPal transmission headers for exactly these body bytes (PayPal signs what it sends, not re-encoded JSON). */
export async function signedRawWebhookHeaders(webhookId: string, raw: string): Promise<Record<string, string>> {
  const { headers } = await control<{ headers: Record<string, string> }>('/__fake/webhooks/sign', { webhook_id: webhookId, raw })
  return headers
}
