import { request as httpRequest } from 'node:http'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { deliveries, licenses, storeConfig, storeTransactions, webstoreSubscriptions, type StoreItemRow } from '../../server/db/schema'
import { startTestAgent } from '../support/agent'
import { serverDb } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { approveAsBuyer, createOpenStore, createStoreItem, fakeOrder, sendWebhook, webhookEvent, type StoreFixture } from '../support/paypal'
import { openStoreWith, purchase, transactionRow } from '../support/storefront'
import { expectStrictScriptCsp } from '../support/csp'

const skip = inject('skipReason') !== ''
let shop: StoreFixture
let item: StoreItemRow
let soldOut: StoreItemRow

beforeAll(async () => {
  if (skip) return
  const store = await openStoreWith('pub', [{ name: 'VIP rank', priceCents: 499, stock: 50 }, { name: 'Sold out kit', priceCents: 100, stock: 0 }, { name: 'Hidden item', enabled: false }])
  shop = store.shop
  item = store.items[0]!
  soldOut = store.items[1]!
})

const buy = (body: Record<string, unknown>, ip = fakeIp(), sub = shop.subdomain) => purchase<Record<string, unknown>>(sub, body, ip)

describe.skipIf(skip)('public store API', () => {
  it('shows the store, its categories and enabled items with prices — never commands', async () => {
    const store = await call<{ store: unknown, categories: unknown }>(`/api/public-store/${shop.subdomain}`)
    expect(store.status).toBe(200)
    expect(store.body.store).toEqual({ name: 'pub store', description: 'Ranks and kits', currency: 'USD', subdomain: shop.subdomain })
    expect(store.body.categories).toEqual([{ id: shop.categoryId, name: 'Ranks', description: '', sort_order: 1 }])
    expect((store.body as { widgets?: unknown }).widgets).toEqual({ goal: null, recent_purchases: null })
    const items = await call<{ items: Array<Record<string, unknown>> }>(`/api/public-store/${shop.subdomain}/items`)
    expect(items.status).toBe(200)
    expect(items.body.items.map(i => i.name).sort()).toEqual(['Sold out kit', 'VIP rank'])
    expect(items.body.items.find(i => i.id === item.id)).toEqual({
      id: item.id, category_id: shop.categoryId, name: 'VIP rank', description: 'Coloured name and a crate key',
      price_cents: 499, regular_price_cents: 499, sale: null, currency: 'USD', image_url: null, purchase_limit: null, stock: 50, in_stock: true,
    })
    expect(items.body.items.find(i => i.id === soldOut.id)).toMatchObject({ stock: 0, in_stock: false })
    expect(items.text).not.toContain('lp user')
    expect((await call(`/api/public-store/${shop.subdomain}/items?category_id=nope`)).status).toBe(400)
  })

  it('purchase: 201 with PayPal approval URL; amount from the database, never the request', async () => {
    const res = await buy({ item_id: item.id, player_name: 'Steve', quantity: 2, amount_cents: 1, price_cents: 1 })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ status: 'pending', amount_cents: 998, currency: 'USD' })
    expect(String(res.body.approval_url)).toMatch(new RegExp(`^${inject('paypalUrl')}/checkoutnow\\?token=`))
    const tx = await transactionRow(String(res.body.transaction_id))
    expect(tx).toMatchObject({ status: 'pending', amountCents: 998, playerName: 'Steve' })
    const order = await fakeOrder(tx.paypalOrderId!)
    expect(order.return_url).toBe(`${inject('baseUrl')}/s/${shop.subdomain}/return?tx=${tx.id}`)
  })

  it.each([
    ['Steve; op Steve'], ['a\nb'], ['$(x)'], ['{player}'], ['ABCDEFGHIJKLMNOPQ'], ['Stévé'], ['玩家名字'], ['ab'], [''], [42],
  ])('player name %j → 400 naming player_name, nothing stored', async (name) => {
    const { db } = await serverDb()
    const before = (await db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))).length
    const res = await buy({ item_id: item.id, player_name: name })
    expect(res.status).toBe(400)
    expect(res.body.data).toMatchObject({ issues: [{ path: 'player_name' }] })
    expect((await db.select().from(storeTransactions).where(eq(storeTransactions.itemId, item.id))).length).toBe(before)
  })

  it('bad uuid / quantity / item → 400 or 404; out of stock → 409', async () => {
    expect((await buy({ item_id: item.id, player_name: 'Steve', player_uuid: 'not-a-uuid' })).body).toMatchObject({ statusCode: 400, data: { issues: [{ path: 'player_uuid' }] } })
    expect((await buy({ item_id: item.id, player_name: 'Steve', quantity: 65 })).body).toMatchObject({ statusCode: 400, data: { issues: [{ path: 'quantity' }] } })
    expect((await buy({ item_id: 'x', player_name: 'Steve' })).status).toBe(400)
    expect((await buy({ item_id: globalThis.crypto.randomUUID(), player_name: 'Steve' })).status).toBe(404)
    expect((await call(`/api/public-store/${shop.subdomain}/purchase`, { raw: '{', headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp() } })).status).toBe(400)
    const sold = await buy({ item_id: soldOut.id, player_name: 'Steve' })
    expect(sold.status).toBe(409)
    expect(sold.body).toMatchObject({ message: 'Out of stock' })
  })

  it('30 concurrent purchases of stock 3 → 3 × 201, 27 × 409', async () => {
    const { db } = await serverDb()
    const scarce = await createStoreItem(db, shop, { name: 'Scarce', stock: 3 })
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => buy({ item_id: scarce.id, player_name: `P_${i}` })))
    expect(results.filter(r => r.status === 201)).toHaveLength(3)
    expect(results.filter(r => r.status === 409)).toHaveLength(27)
    const rows = await db.select().from(storeTransactions).where(eq(storeTransactions.itemId, scarce.id))
    expect(rows.filter(r => r.status === 'pending')).toHaveLength(3)
  })

  it('per-player limit 1, 10 concurrent attempts → 1', async () => {
    const { db } = await serverDb()
    const once = await createStoreItem(db, shop, { name: 'Once', purchaseLimit: 1 })
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => buy({ item_id: once.id, player_name: i % 2 ? 'Notch' : 'NOTCH' })))
    expect(results.filter(r => r.status === 201)).toHaveLength(1)
    expect(results.filter(r => r.status === 409)).toHaveLength(9)
  })

  it('rate limits purchases per IP (429 with Retry-After)', async () => {
    // A flood from one address: the burst (120) goes through, the rest is refused until tokens refill.
    const { db } = await serverDb()
    const plenty = await createStoreItem(db, shop, { name: 'Flood target', priceCents: 100 })
    const ip = fakeIp()
    const results = await Promise.all(Array.from({ length: 160 }, () => buy({ item_id: plenty.id, player_name: 'Rate_Limited' }, ip)))
    const limited = results.filter(r => r.status === 429)
    expect(results.filter(r => r.status === 201).length).toBeGreaterThanOrEqual(120)
    expect(limited.length).toBeGreaterThan(0)
    expect(results.every(r => r.status === 201 || r.status === 429)).toBe(true)
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another address is unaffected.
    expect((await buy({ item_id: plenty.id, player_name: 'Rate_Limited' }, fakeIp())).status).toBe(201)
  })

  it('return flow: capture is idempotent; transaction status is public by id; webhook replays and concurrent captures deliver once', async () => {
    const natsUrl = inject('natsUrl')
    const agent = natsUrl ? await startTestAgent(natsUrl, shop.license.id) : undefined
    try {
      const res = await buy({ item_id: item.id, player_name: 'Alex' })
      const txId = String(res.body.transaction_id)
      const base = `/api/public-store/${shop.subdomain}/transactions/${txId}`
      expect((await call(`${base}/capture`, { method: 'POST' })).body).toEqual({ transaction_id: txId, status: 'pending' })
      const tx = await transactionRow(txId)
      await approveAsBuyer(tx.paypalOrderId!)
      const event = webhookEvent('CHECKOUT.ORDER.APPROVED', await fakeOrder(tx.paypalOrderId!))
      const all = await Promise.all([
        ...Array.from({ length: 20 }, () => sendWebhook(`/api/public-store/${shop.subdomain}/webhook`, shop.app.webhookId, event)),
        ...Array.from({ length: 10 }, () => call(`${base}/capture`, { method: 'POST' })),
      ])
      expect(all.map(r => r.status).every(s => s === 200)).toBe(true)
      const view = await call(base)
      expect(view.status).toBe(200)
      expect(view.body).toMatchObject({ transaction_id: txId, item_name: 'VIP rank', player_name: 'Alex', quantity: 1, amount_cents: 499, currency: 'USD' })
      expect(['paid', 'delivered']).toContain(view.body.status)
      const { db } = await serverDb()
      const rows = await db.select().from(deliveries).where(eq(deliveries.refId, txId))
      expect(rows).toHaveLength(1)
      if (agent) {
        const message = await agent.waitFor(m => m.transaction_id === txId)
        expect(message.commands).toEqual([
          { command: 'lp user Alex parent add vip', require_online: false },
          { command: 'give Alex diamond 1', require_online: true },
        ])
        await new Promise(resolve => setTimeout(resolve, 1000))
        expect(agent.received.filter(m => m.transaction_id === txId)).toHaveLength(1)
        expect(agent.corePublishes.filter(m => m.transaction_id === txId)).toHaveLength(1)
      }
    }
    finally {
      await agent?.close()
    }
  })

  it('forged or tampered webhooks → 400 and nothing changes; malformed → 400; unknown store → 404', async () => {
    const res = await buy({ item_id: item.id, player_name: 'Forger' })
    const txId = String(res.body.transaction_id)
    const tx = await transactionRow(txId)
    await approveAsBuyer(tx.paypalOrderId!)
    const event = webhookEvent('CHECKOUT.ORDER.APPROVED', await fakeOrder(tx.paypalOrderId!))
    const path = `/api/public-store/${shop.subdomain}/webhook`
    expect((await sendWebhook(path, shop.app.webhookId, event, 'signature')).status).toBe(400)
    expect((await sendWebhook(path, shop.app.webhookId, event, 'body')).status).toBe(400)
    expect((await sendWebhook(path, shop.app.webhookId, webhookEvent('CHECKOUT.ORDER.APPROVED', await fakeOrder(tx.paypalOrderId!), { amount: '0.01' }), 'body')).status).toBe(400)
    expect((await call(path, { body: { hello: 'world' } })).status).toBe(400)
    expect((await call(path, { raw: 'not json', headers: { 'content-type': 'application/json' } })).status).toBe(400)
    expect((await sendWebhook('/api/public-store/no-such-store-here/webhook', shop.app.webhookId, event)).status).toBe(404)
    expect(await transactionRow(txId)).toMatchObject({ status: 'pending' })
  })

  it('disabled, suspended or unsubscribed stores → 404 on every public route (pages too)', async () => {
    const { db } = await serverDb()
    const cases: Array<[string, (s: StoreFixture) => Promise<unknown>]> = [
      ['disabled', s => db.update(storeConfig).set({ enabled: false }).where(eq(storeConfig.licenseId, s.license.id))],
      ['suspended', s => db.update(licenses).set({ status: 'suspended' }).where(eq(licenses.id, s.license.id))],
      ['revoked', s => db.update(licenses).set({ status: 'revoked' }).where(eq(licenses.id, s.license.id))],
      ['unsubscribed', s => db.update(webstoreSubscriptions).set({ status: 'CANCELLED' }).where(eq(webstoreSubscriptions.licenseId, s.license.id))],
    ]
    for (const [tag, close] of cases) {
      const s = await createOpenStore(db, { tag })
      const it2 = await createStoreItem(db, s)
      const bought = await buy({ item_id: it2.id, player_name: 'Before' }, fakeIp(), s.subdomain)
      expect(bought.status).toBe(201)
      await close(s)
      const tx = `/api/public-store/${s.subdomain}/transactions/${String(bought.body.transaction_id)}`
      for (const res of [
        await call(`/api/public-store/${s.subdomain}`),
        await call(`/api/public-store/${s.subdomain}/items`),
        await buy({ item_id: it2.id, player_name: 'Steve' }, fakeIp(), s.subdomain),
        await call(tx),
        await call(`${tx}/capture`, { method: 'POST' }),
        await call(`/s/${s.subdomain}`),
      ]) expect(res.status, `${tag}`).toBe(404)
    }
    expect((await call('/api/public-store/does-not-exist')).status).toBe(404)
    expect((await call('/api/public-store/UPPER_case!')).status).toBe(404)
  })

  it('storefront page is server-rendered with formatted prices, a strict CSP, and no commands', async () => {
    const res = await call(`/s/${shop.subdomain}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('pub store')
    expect(res.text).toContain('VIP rank')
    expect(res.text).toContain('$4.99')
    expect(res.text).toContain('Out of stock')
    expect(res.text).not.toContain('lp user')
    const csp = res.headers.get('content-security-policy') ?? ''
    expectStrictScriptCsp(res.text, csp)
    // Served again from memory: the same bytes under the same policy.
    const again = await call(`/s/${shop.subdomain}`)
    expect(again.text).toBe(res.text)
    expect(again.headers.get('content-security-policy')).toBe(csp)
    expect(again.headers.get('x-request-id')).not.toBe(res.headers.get('x-request-id'))
  })

  it('serves the same store on <subdomain>.<STORE_DOMAIN> (Host based)', async () => {
    const url = new URL(inject('baseUrl'))
    const body = await new Promise<{ status: number, text: string, csp: string, requestId: string }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/', headers: { 'host': `${shop.subdomain}.store.localhost:3000`, 'x-request-id': 'store-host-request-1' } }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, csp: String(res.headers['content-security-policy'] ?? ''), requestId: String(res.headers['x-request-id'] ?? '') }))
      })
      req.on('error', reject)
      req.end()
    })
    expect(body.status).toBe(200)
    expect(body.text).toContain('pub store')
    expect(body.text).toContain('$4.99')
    // The inline script that aligns the browser path is there, and the CSP lists its hash.
    expect(body.text).toMatch(/<script[^>]*>\(function\(\)\{var p="\/s\//)
    expectStrictScriptCsp(body.text, body.csp)
    // The page rendered inside answers under the caller's request id (the one its log line carries).
    expect(body.requestId).toBe('store-host-request-1')
  })
})

// Subdomains and ids that cannot exist: always the store's 404 (never a 400 describing our
// length limits, never a page rendered for them).
describe.skipIf(skip)('public store routes: impossible subdomains and ids', () => {
  it('a subdomain longer than a DNS label → 404 on every public route', async () => {
    for (const sub of ['x'.repeat(64), 'x'.repeat(300)]) {
      const tx = globalThis.crypto.randomUUID()
      const responses = [
        await call(`/api/public-store/${sub}`),
        await call(`/api/public-store/${sub}/items`),
        await call(`/api/public-store/${sub}/purchase`, { body: { item_id: tx, player_name: 'Steve' }, headers: { 'x-forwarded-for': fakeIp() } }),
        await call(`/api/public-store/${sub}/transactions/${tx}`),
        await call(`/api/public-store/${sub}/transactions/${tx}/capture`, { method: 'POST' }),
        await call(`/api/public-store/${sub}/webhook`, { body: { id: 'WH-1', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} } }),
      ]
      for (const res of responses) {
        expect(res.status).toBe(404)
        expect(res.body).toMatchObject({ statusCode: 404 })
      }
    }
  })

  it('a transaction id longer than a UUID → 404, like any unknown id', async () => {
    for (const id of ['a'.repeat(65), `${globalThis.crypto.randomUUID()}${'0'.repeat(40)}`]) {
      const get = await call(`/api/public-store/${shop.subdomain}/transactions/${id}`)
      expect(get.status).toBe(404)
      const capture = await call(`/api/public-store/${shop.subdomain}/transactions/${id}/capture`, { method: 'POST' })
      expect(capture.status).toBe(404)
    }
  })

  it('storefront pages refuse impossible subdomains (404) and never echo them as markup', async () => {
    const payload = encodeURIComponent('</script><b id="injected">boom</b>')
    for (const path of [`/s/${payload}/cancel`, `/s/${payload}`, `/s/${payload}/return?tx=${globalThis.crypto.randomUUID()}`, `/s/${'x'.repeat(64)}/cancel`]) {
      const res = await call(path)
      expect(res.status).toBe(404)
      expect(res.text).not.toContain('<b id="injected">')
    }
  })

  it('the cancel page exists only for an open store', async () => {
    expect((await call(`/s/${shop.subdomain}/cancel`)).status).toBe(200)
    expect((await call('/s/no-such-store-here/cancel')).status).toBe(404)
  })
})
