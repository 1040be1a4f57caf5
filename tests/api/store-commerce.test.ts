import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { storeConfig, storeImages, storeSales, storeTransactions } from '../../server/db/schema'
import { serverDb, asOwner, twoOwners, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { pngChunkTypes, pngWithTextChunk, solidImage } from '../support/images'
import { openStoreWith } from '../support/storefront'
import { pollFor } from '../support/poll'

// Storefront commerce over HTTP: baskets on an open store, coupons/sales/images for owners, and
// each owner's records invisible to the other (404).

async function upload(owner: Owner, itemId: string, bytes: Buffer, filename = 'pic.png', type = 'image/png') {
  const form = new FormData()
  form.append('image', new Blob([new Uint8Array(bytes)], { type }), filename)
  const res = await fetch(`${inject('baseUrl')}/api/webstore/items/${itemId}/image`, {
    method: 'POST',
    body: form,
    headers: { 'authorization': `Bearer ${owner.token}`, 'x-license-id': owner.licenses[0]!.id, 'x-forwarded-for': fakeIp() },
  })
  const text = await res.text()
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as { item?: { image_url: string | null }, data?: { issues?: Array<{ path: string }> } } }
}

async function ownerItem(owner: Owner): Promise<string> {
  const category = await call<{ category: { id: string } }>('/api/webstore/categories', asOwner(owner, { body: { name: 'Ranks' } }))
  const item = await call<{ item: { id: string } }>('/api/webstore/items', asOwner(owner, { body: { category_id: category.body.category.id, name: 'VIP', price_cents: 499, commands: [{ command: 'say {player}' }] } }))
  expect(item.status).toBe(201)
  return item.body.item.id
}

describe('item images over HTTP', () => {
  let alice: Owner
  let bob: Owner
  let itemId: string
  beforeAll(async () => {
    ({ alice, bob } = await twoOwners('images'))
    itemId = await ownerItem(alice)
  })

  it('uploads a PNG, strips its metadata chunk and serves it with its type, nosniff and an immutable cache', async () => {
    const res = await upload(alice, itemId, await pngWithTextChunk('Comment', 'shot at 52.52N 13.40E'))
    expect(res.status).toBe(200)
    const url = res.body.item!.image_url!
    expect(url).toMatch(/\/api\/images\/[0-9a-f-]{36}\/1024$/)
    const image = await fetch(url.replace(/^https?:\/\/[^/]+/, inject('baseUrl')))
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(image.headers.get('x-content-type-options')).toBe('nosniff')
    expect(image.headers.get('cache-control')).toContain('immutable')
    const bytes = Buffer.from(await image.arrayBuffer())
    expect(pngChunkTypes(bytes)).not.toContain('tEXt')
    expect(bytes.includes(Buffer.from('52.52N'))).toBe(false)
  })

  it('a text file named .png → 400; a 3 MB image → 413; nothing changes', async () => {
    const before = await call<{ items: Array<{ id: string, image_url: string | null }> }>('/api/webstore/items', asOwner(alice))
    const text = await upload(alice, itemId, Buffer.from('I am a text file, not a picture.\n'.repeat(20)), 'notes.png')
    expect(text.status).toBe(400)
    expect(text.body.data?.issues?.[0]?.path).toBe('image')
    const big = Buffer.concat([await solidImage('png'), Buffer.alloc(3 * 1024 * 1024, 1)])
    expect((await upload(alice, itemId, big, 'big.png')).status).toBe(413)
    const after = await call<{ items: Array<{ id: string, image_url: string | null }> }>('/api/webstore/items', asOwner(alice))
    expect(after.body.items).toEqual(before.body.items)
  })

  it('another owner\'s item → 404 for upload and delete, and its image rows stay', async () => {
    const { db } = await serverDb()
    const rows = (await db.select().from(storeImages).where(eq(storeImages.itemId, itemId))).length
    expect((await upload(bob, itemId, await solidImage('png'))).status).toBe(404)
    expect((await call(`/api/webstore/items/${itemId}/image`, asOwner(bob, { method: 'DELETE' }))).status).toBe(404)
    expect((await db.select().from(storeImages).where(eq(storeImages.itemId, itemId))).length).toBe(rows)
    const removed = await call<{ item: { image_url: null } }>(`/api/webstore/items/${itemId}/image`, asOwner(alice, { method: 'DELETE' }))
    expect([removed.status, removed.body.item.image_url]).toEqual([200, null])
  })
})

describe('coupons and sales over HTTP', () => {
  it('CRUD with uses; codes unique ignoring case; another owner\'s coupon or sale → 404 and unchanged', async () => {
    const { alice, bob } = await twoOwners('coupons')
    const created = await call<{ coupon: { id: string, uses: number, code: string } }>('/api/webstore/coupons', asOwner(alice, { body: { code: 'Spring-10', kind: 'percent', value: 10, max_uses: 5 } }))
    expect(created.status).toBe(201)
    expect(created.body.coupon).toMatchObject({ code: 'Spring-10', uses: 0, max_uses: 5, item_ids: [], enabled: true })
    expect((await call('/api/webstore/coupons', asOwner(alice, { body: { code: 'SPRING-10', kind: 'amount', value: 100 } }))).status).toBe(409)
    const bad = await call<{ data: { issues: Array<{ path: string }> } }>('/api/webstore/coupons', asOwner(alice, { body: { code: 'x', kind: 'percent', value: 101, item_ids: [globalThis.crypto.randomUUID()] } }))
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues.map(i => i.path)).toEqual(expect.arrayContaining(['code', 'value']))
    const id = created.body.coupon.id
    expect((await call(`/api/webstore/coupons/${id}`, asOwner(bob, { method: 'PUT', body: { code: 'MINE', kind: 'percent', value: 100 } }))).status).toBe(404)
    expect((await call(`/api/webstore/coupons/${id}`, asOwner(bob, { method: 'DELETE' }))).status).toBe(404)
    expect((await call<{ coupons: unknown[] }>('/api/webstore/coupons', asOwner(bob))).body.coupons).toEqual([])
    const list = await call<{ coupons: Array<{ code: string }> }>('/api/webstore/coupons', asOwner(alice))
    expect(list.body.coupons.map(c => c.code)).toEqual(['Spring-10'])

    const sale = await call<{ sale: { id: string } }>('/api/webstore/sales', asOwner(alice, { body: { name: 'Weekend', percent: 20, starts_at: '2026-01-01T00:00:00Z', ends_at: '2036-01-01T00:00:00Z' } }))
    expect(sale.status).toBe(201)
    expect((await call(`/api/webstore/sales/${sale.body.sale.id}`, asOwner(bob, { method: 'PUT', body: { name: 'Mine', percent: 90, starts_at: '2026-01-01T00:00:00Z', ends_at: '2036-01-01T00:00:00Z' } }))).status).toBe(404)
    expect((await call(`/api/webstore/sales/${sale.body.sale.id}`, asOwner(bob, { method: 'DELETE' }))).status).toBe(404)
    const { db } = await serverDb()
    expect((await db.select().from(storeSales).where(eq(storeSales.id, sale.body.sale.id)))[0]).toMatchObject({ name: 'Weekend', percent: 20 })
    expect((await call(`/api/webstore/coupons/${id}`, asOwner(alice, { method: 'DELETE' }))).status).toBe(204)
  })
})

describe('baskets over HTTP', () => {
  it('quote → checkout: sale prices in the public items, 201 with the quote\'s amount, 400 naming lines.N, 409 with nothing reserved', async () => {
    const { shop, items } = await openStoreWith('basket-http', [{ name: 'Rank', priceCents: 1000 }, { name: 'Key', priceCents: 300, stock: 2 }])
    const { db } = await serverDb()
    await db.insert(storeSales).values({ licenseId: shop.license.id, name: 'Launch', percent: 25, startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 3600_000), itemIds: [items[0]!.id] })
    const publicItems = await call<{ items: Array<{ id: string, price_cents: number, regular_price_cents: number, sale: { name: string, percent: number } | null }> }>(`/api/public-store/${shop.subdomain}/items`)
    expect(publicItems.body.items.find(i => i.id === items[0]!.id)).toMatchObject({ price_cents: 750, regular_price_cents: 1000, sale: { name: 'Launch', percent: 25 } })
    expect(publicItems.body.items.find(i => i.id === items[1]!.id)).toMatchObject({ price_cents: 300, regular_price_cents: 300, sale: null })

    const basket = { player_name: 'Steve', lines: [{ item_id: items[0]!.id }, { item_id: items[1]!.id, quantity: 2 }] }
    const quote = await call<{ amount_cents: number }>(`/api/public-store/${shop.subdomain}/quote`, { body: basket })
    expect(quote.status).toBe(200)
    expect(quote.body).toMatchObject({ subtotal_cents: 1350, discount_cents: 0, amount_cents: 1350, coupon: null })
    const bad = await call<{ data: { issues: Array<{ path: string }> } }>(`/api/public-store/${shop.subdomain}/checkout`, { body: { ...basket, lines: [...basket.lines, { item_id: 'nope', quantity: 0 }] }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues.map(i => i.path)).toEqual(expect.arrayContaining(['lines.2.item_id', 'lines.2.quantity']))
    const ok = await call<{ transaction_id: string, amount_cents: number, approval_url: string }>(`/api/public-store/${shop.subdomain}/checkout`, { body: basket, headers: { 'x-forwarded-for': fakeIp() } })
    expect(ok.status).toBe(201)
    expect(ok.body.amount_cents).toBe(quote.body.amount_cents)
    expect(ok.body.approval_url).toMatch(/checkoutnow/)
    const again = await call<{ data: { path: string } }>(`/api/public-store/${shop.subdomain}/checkout`, { body: basket, headers: { 'x-forwarded-for': fakeIp() } })
    expect([again.status, again.body.data.path]).toEqual([409, 'lines.1.quantity'])
    expect((await db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, shop.license.id))).length).toBe(1)
  })
})

describe('storefront widgets', () => {
  it('the goal shows this month\'s paid revenue and recent purchases list paid orders, only when the owner turns them on', async () => {
    const { shop, items } = await openStoreWith('widgets', [{ name: 'Rank', priceCents: 1200 }])
    const { db } = await serverDb()
    const now = new Date()
    const paid = { licenseId: shop.license.id, itemId: items[0]!.id, itemName: 'Rank', quantity: 1, unitPriceCents: 1200, amountCents: 1200, subtotalCents: 1200, currency: 'USD' as const, paidAt: now }
    await db.insert(storeTransactions).values([
      { ...paid, playerName: 'Alex', status: 'delivered' },
      { ...paid, playerName: 'Sam', status: 'paid' },
      { ...paid, playerName: 'Pending', status: 'pending', paidAt: null },
      { ...paid, playerName: 'Refunded', status: 'refunded' },
    ])
    const off = await call<{ widgets: unknown }>(`/api/public-store/${shop.subdomain}`)
    expect(off.body.widgets).toEqual({ goal: null, recent_purchases: null })
    await db.update(storeConfig).set({ monthlyGoalCents: 10_000, showRecentPurchases: true }).where(eq(storeConfig.licenseId, shop.license.id))
    // Written straight to the database, as by another replica: the store's signal reaches the server within a second.
    const on = await pollFor(async () => {
      const res = await call<{ widgets: { goal: unknown, recent_purchases: Array<{ player_name: string }> | null } }>(`/api/public-store/${shop.subdomain}`)
      return res.body.widgets.recent_purchases ? res as typeof res & { body: { widgets: { recent_purchases: Array<{ player_name: string }> } } } : undefined
    }, { timeoutMs: 1000, everyMs: 20, failure: () => 'the widgets never turned on' })
    expect(on.body.widgets.goal).toEqual({ goal_cents: 10_000, progress_cents: 2400 })
    expect(on.body.widgets.recent_purchases.map(p => p.player_name).sort()).toEqual(['Alex', 'Sam'])
  })
})
