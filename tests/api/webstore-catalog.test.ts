import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { storeCategories, storeItems, storeTransactions } from '../../server/db/schema'
import { asOwner, serverDb, twoOwners, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'

const skip = inject('skipReason')

interface Category { id: string, name: string, description: string, sort_order: number }
interface Item { id: string, category_id: string, name: string, commands: { command: string, require_online: boolean }[] }

const validItem = (categoryId: string) => ({
  category_id: categoryId,
  name: 'VIP rank',
  description: 'Perks',
  price_cents: 499,
  image_url: 'https://cdn.example.net/vip.png',
  commands: [
    { command: 'lp user {player} parent add vip', require_online: false },
    { command: 'give {player} diamond {quantity}', require_online: true },
  ],
  purchase_limit: 1,
  stock: 10,
  enabled: true,
  sort_order: 2,
  revoke_commands: [{ command: 'lp user {player} parent remove vip', require_online: false }],
  duration_days: 30,
})

function issuePaths(body: unknown): string[] {
  return ((body as { data?: { issues?: { path: string }[] } }).data?.issues ?? []).map(i => i.path)
}

describe.skipIf(skip)('webstore categories and items API', () => {
  let alice: Owner
  let bob: Owner
  let category: Category
  let item: Item
  beforeAll(async () => {
    ({ alice, bob } = await twoOwners('cat'))
  })

  it('creates, lists and updates categories', async () => {
    const created = await call<{ category: Category }>('/api/webstore/categories', asOwner(alice, { method: 'POST', body: { name: 'Ranks', description: 'Perks that last', sort_order: 1 } }))
    expect(created.status).toBe(201)
    expect(created.body.category).toMatchObject({ id: expect.any(String), name: 'Ranks', description: 'Perks that last', sort_order: 1 })
    category = created.body.category
    const minimal = await call<{ category: Category }>('/api/webstore/categories', asOwner(alice, { method: 'POST', body: { name: 'Kits' } }))
    expect(minimal.status).toBe(201)
    expect(minimal.body.category).toMatchObject({ description: '', sort_order: 0 })

    const list = await call<{ categories: Category[] }>('/api/webstore/categories', asOwner(alice))
    expect(list.status).toBe(200)
    expect(list.body.categories.map(c => c.name)).toEqual(['Kits', 'Ranks'])

    const put = await call<{ category: Category }>(`/api/webstore/categories/${category.id}`, asOwner(alice, { method: 'PUT', body: { name: 'VIP ranks', sort_order: -1 } }))
    expect(put.status).toBe(200)
    expect(put.body.category).toMatchObject({ id: category.id, name: 'VIP ranks', sort_order: -1, description: '' })

    for (const body of [{ name: '' }, { name: 'x'.repeat(65) }, { name: 'A', description: 'x'.repeat(501) }, { name: 'A', sort_order: 1.5 }, { name: 'A', sort_order: 2 ** 31 }, {}]) {
      const bad = await call('/api/webstore/categories', asOwner(alice, { method: 'POST', body }))
      expect(bad.status, JSON.stringify(body)).toBe(400)
      expect(issuePaths(bad.body).length).toBeGreaterThan(0)
    }
  })

  it('creates an item with every field and lists it, filtered by category', async () => {
    const res = await call<{ item: Item }>('/api/webstore/items', asOwner(alice, { method: 'POST', body: validItem(category.id) }))
    expect(res.status).toBe(201)
    expect(res.body.item).toEqual({ id: expect.any(String), ...validItem(category.id) })
    item = res.body.item

    const defaults = await call<{ item: Item }>('/api/webstore/items', asOwner(alice, { method: 'POST', body: { category_id: category.id, name: 'Key', price_cents: 1, commands: [{ command: 'crate give {player} key' }] } }))
    expect(defaults.status).toBe(201)
    expect(defaults.body.item).toMatchObject({ description: '', image_url: null, purchase_limit: null, stock: null, enabled: true, sort_order: 0, commands: [{ command: 'crate give {player} key', require_online: false }] })

    const all = await call<{ items: Item[] }>('/api/webstore/items', asOwner(alice))
    expect(all.body.items.map(i => i.id).sort()).toEqual([item.id, defaults.body.item.id].sort())
    const filtered = await call<{ items: Item[] }>(`/api/webstore/items?category_id=${category.id}`, asOwner(alice))
    expect(filtered.body.items).toHaveLength(2)
    const otherCategory = (await call<{ categories: Category[] }>('/api/webstore/categories', asOwner(alice))).body.categories.find(c => c.id !== category.id)!
    expect((await call<{ items: Item[] }>(`/api/webstore/items?category_id=${otherCategory.id}`, asOwner(alice))).body.items).toEqual([])
    expect((await call('/api/webstore/items?category_id=nope', asOwner(alice))).status).toBe(400)
  })

  it('rejects each item rule with a 400 naming the field', async () => {
    const base = validItem(category.id)
    const cases: [Record<string, unknown>, string][] = [
      [{ price_cents: 0 }, 'price_cents'],
      [{ price_cents: 1_000_001 }, 'price_cents'],
      [{ price_cents: 4.5 }, 'price_cents'],
      [{ price_cents: '499' }, 'price_cents'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(81) }, 'name'],
      [{ description: 'x'.repeat(5001) }, 'description'],
      [{ image_url: 'http://cdn.example.net/x.png' }, 'image_url'],
      [{ image_url: 'javascript:alert(1)' }, 'image_url'],
      [{ image_url: 'not a url' }, 'image_url'],
      [{ commands: [] }, 'commands'],
      [{ commands: Array.from({ length: 21 }, () => ({ command: 'say hi', require_online: false })) }, 'commands'],
      [{ commands: [{ command: '', require_online: false }] }, 'commands.0.command'],
      [{ commands: [{ command: 'x'.repeat(501), require_online: false }] }, 'commands.0.command'],
      [{ commands: [{ command: 'say ok', require_online: false }, { command: 'say ok', require_online: false }, { command: 'give {playr} x', require_online: false }] }, 'commands.2.command'],
      [{ commands: [{ command: 'say {{player}}', require_online: false }] }, 'commands.0.command'],
      [{ commands: [{ command: 'say hi\nop {player}', require_online: false }] }, 'commands.0.command'],
      [{ commands: [{ command: 'say hi\rop', require_online: false }] }, 'commands.0.command'],
      [{ commands: [{ command: 'say hi\u0000', require_online: false }] }, 'commands.0.command'],
      [{ commands: [{ command: 'say hi', require_online: 'yes' }] }, 'commands.0.require_online'],
      [{ commands: ['say hi'] }, 'commands.0'],
      [{ purchase_limit: 0 }, 'purchase_limit'],
      [{ purchase_limit: -1 }, 'purchase_limit'],
      [{ stock: -1 }, 'stock'],
      [{ stock: 1.5 }, 'stock'],
      [{ enabled: 'true' }, 'enabled'],
      [{ sort_order: 2 ** 31 }, 'sort_order'],
      [{ category_id: 'not-a-uuid' }, 'category_id'],
      [{ category_id: '00000000-0000-4000-8000-000000000000' }, 'category_id'],
    ]
    for (const [patch, path] of cases) {
      const res = await call('/api/webstore/items', asOwner(alice, { method: 'POST', body: { ...base, ...patch } }))
      expect(res.status, `${path}: ${JSON.stringify(patch).slice(0, 60)}`).toBe(400)
      expect(issuePaths(res.body), JSON.stringify(res.body)).toContain(path)
    }
    const { category_id: _c, ...withoutCategory } = base
    const missing = await call('/api/webstore/items', asOwner(alice, { method: 'POST', body: withoutCategory }))
    expect(missing.status).toBe(400)
    expect(issuePaths(missing.body)).toContain('category_id')

    // Nothing was written by any refused request.
    const { db } = await serverDb()
    const rows = await db.select().from(storeItems).where(eq(storeItems.licenseId, alice.licenses[0]!.id))
    expect(rows).toHaveLength(2)
  })

  it('replaces an item with PUT and validates it the same way', async () => {
    const body = { ...validItem(category.id), name: 'VIP+', price_cents: 999, stock: null, commands: [{ command: 'lp user {uuid} parent add vipplus', require_online: false }] }
    const res = await call<{ item: Item }>(`/api/webstore/items/${item.id}`, asOwner(alice, { method: 'PUT', body }))
    expect(res.status).toBe(200)
    expect(res.body.item).toEqual({ id: item.id, ...body })
    const bad = await call(`/api/webstore/items/${item.id}`, asOwner(alice, { method: 'PUT', body: { ...body, commands: [{ command: 'say {price} {foo}', require_online: false }] } }))
    expect(bad.status).toBe(400)
    expect(issuePaths(bad.body)).toEqual(['commands.0.command'])
  })

  it('answers 404 for another owner\'s license, categories and items, and changes nothing', async () => {
    const foreignLicense = { token: bob.token, headers: { 'x-license-id': alice.licenses[0]!.id, 'x-forwarded-for': fakeIp() } }
    expect((await call('/api/webstore/categories', foreignLicense)).status).toBe(404)
    expect((await call('/api/webstore/items', foreignLicense)).status).toBe(404)
    expect((await call('/api/webstore/transactions', foreignLicense)).status).toBe(404)
    expect((await call('/api/webstore/categories', { ...foreignLicense, method: 'POST', body: { name: 'X' } })).status).toBe(404)
    expect((await call('/api/webstore/items', { ...foreignLicense, method: 'POST', body: validItem(category.id) })).status).toBe(404)

    // Bob's own license, Alice's ids.
    expect((await call(`/api/webstore/categories/${category.id}`, asOwner(bob, { method: 'PUT', body: { name: 'Mine' } }))).status).toBe(404)
    expect((await call(`/api/webstore/categories/${category.id}`, asOwner(bob, { method: 'DELETE' }))).status).toBe(404)
    expect((await call(`/api/webstore/items/${item.id}`, asOwner(bob, { method: 'PUT', body: validItem(category.id) }))).status).toBe(404)
    expect((await call(`/api/webstore/items/${item.id}`, asOwner(bob, { method: 'DELETE' }))).status).toBe(404)
    const filed = await call('/api/webstore/items', asOwner(bob, { method: 'POST', body: validItem(category.id) }))
    expect(filed.status).toBe(400)
    expect(issuePaths(filed.body)).toEqual(['category_id'])
    expect((await call<{ items: Item[] }>(`/api/webstore/items?category_id=${category.id}`, asOwner(bob))).body.items).toEqual([])
    expect((await call<{ categories: Category[] }>('/api/webstore/categories', asOwner(bob))).body.categories).toEqual([])
    expect((await call(`/api/webstore/items/not-a-uuid`, asOwner(bob, { method: 'DELETE' }))).status).toBe(404)

    const { db } = await serverDb()
    const [cat] = await db.select().from(storeCategories).where(eq(storeCategories.id, category.id))
    expect(cat?.name).toBe('VIP ranks')
    const [row] = await db.select().from(storeItems).where(eq(storeItems.id, item.id))
    expect(row?.name).toBe('VIP+')
  })

  it('refuses to delete a category in use (409), soft-deletes a sold item, hard-deletes an unsold one', async () => {
    const blocked = await call(`/api/webstore/categories/${category.id}`, asOwner(alice, { method: 'DELETE' }))
    expect(blocked.status).toBe(409)

    const { db } = await serverDb()
    const licenseId = alice.licenses[0]!.id
    await db.insert(storeTransactions).values({ licenseId, itemId: item.id, itemName: 'VIP+', playerName: 'Steve', unitPriceCents: 999, amountCents: 999, currency: 'USD', status: 'delivered' })
    const others = (await call<{ items: Item[] }>('/api/webstore/items', asOwner(alice))).body.items.filter(i => i.id !== item.id)

    const soft = await call(`/api/webstore/items/${item.id}`, asOwner(alice, { method: 'DELETE' }))
    expect(soft.status).toBe(204)
    const [kept] = await db.select().from(storeItems).where(eq(storeItems.id, item.id))
    expect(kept?.deletedAt).not.toBeNull()
    expect((await call(`/api/webstore/items/${item.id}`, asOwner(alice, { method: 'DELETE' }))).status).toBe(404)
    expect((await call(`/api/webstore/items/${item.id}`, asOwner(alice, { method: 'PUT', body: validItem(category.id) }))).status).toBe(404)

    for (const other of others) {
      expect((await call(`/api/webstore/items/${other.id}`, asOwner(alice, { method: 'DELETE' }))).status).toBe(204)
      expect(await db.select().from(storeItems).where(eq(storeItems.id, other.id))).toEqual([])
    }
    expect((await call<{ items: Item[] }>('/api/webstore/items', asOwner(alice))).body.items).toEqual([])

    const freed = await call(`/api/webstore/categories/${category.id}`, asOwner(alice, { method: 'DELETE' }))
    expect(freed.status).toBe(204)
    expect(await db.select().from(storeCategories).where(eq(storeCategories.id, category.id))).toEqual([])
  })
})
