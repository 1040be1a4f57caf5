import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { storeItems, storeSales } from '../../server/db/schema'
import { serverDb } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { pollFor } from '../support/poll'
import { startBuiltServer, type RunningServer } from '../support/server'
import { openStoreWith } from '../support/storefront'

// Two replicas on one database, each with its storefront cache in memory: a price the owner
// changes through replica A shows on replica B, on the public items API and on the rendered page,
// within one second. And B really serves from memory: a write that sends no signal (triggers off
// for that transaction) stays invisible to its reads, never to what it charges.

const skip = inject('skipReason') !== ''
const SIGNAL_DEADLINE_MS = 1000

interface PublicItemView { id: string, price_cents: number, regular_price_cents: number, sale: { percent: number } | null }

describe.skipIf(skip)('storefront cache across replicas', () => {
  let replicaB: RunningServer
  const replicaA = () => inject('baseUrl')

  beforeAll(async () => {
    replicaB = await startBuiltServer('api-replica-b', { DATABASE_URL: inject('databaseUrl'), PAYPAL_API_BASE: inject('paypalUrl') })
  })
  afterAll(() => replicaB?.stop())

  async function itemsOn(base: string, subdomain: string): Promise<PublicItemView[]> {
    const res = await fetch(`${base}/api/public-store/${subdomain}/items`)
    expect(res.status).toBe(200)
    return ((await res.json()) as { items: PublicItemView[] }).items
  }
  async function pageOn(base: string, subdomain: string): Promise<string> {
    const res = await fetch(`${base}/s/${subdomain}`)
    expect(res.status).toBe(200)
    return res.text()
  }
  /** What a change must reach in time: B's API answer and B's page both show `needle`. */
  async function seenOnB(subdomain: string, itemId: string, cents: number, needle: string): Promise<void> {
    await pollFor(async () => {
      const item = (await itemsOn(replicaB.url, subdomain)).find(i => i.id === itemId)
      return item?.price_cents === cents && (await pageOn(replicaB.url, subdomain)).includes(needle) ? true : undefined
    }, { timeoutMs: SIGNAL_DEADLINE_MS, everyMs: 25, failure: () => `replica B did not show ${needle} within ${SIGNAL_DEADLINE_MS} ms` })
  }

  it('a price changed on replica A is on replica B (API and page) within 1 s; an unsignalled write is not', async () => {
    const { shop, items: [item] } = await openStoreWith('replicas', [{ name: 'Knight rank', priceCents: 1299 }])
    const { db } = await serverDb()
    // Both replicas have the store in memory (each answer renders once, then is kept).
    for (const base of [replicaA(), replicaB.url]) {
      expect((await itemsOn(base, shop.subdomain))[0]!.price_cents).toBe(1299)
      expect(await pageOn(base, shop.subdomain)).toContain('12.99')
    }

    // A write that signals nothing: B keeps answering from memory, so the test below can fail.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`)
      await tx.update(storeItems).set({ priceCents: 1111 }).where(eq(storeItems.id, item!.id))
    })
    expect((await itemsOn(replicaB.url, shop.subdomain))[0]!.price_cents).toBe(1299)
    expect(await pageOn(replicaB.url, shop.subdomain)).toContain('12.99')
    // What is charged never comes from memory: B's quote reads the database's price.
    const quote = await fetch(`${replicaB.url}/api/public-store/${shop.subdomain}/quote`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ player_name: 'Steve', lines: [{ item_id: item!.id }] }),
    })
    expect(quote.status).toBe(200)
    expect(await quote.json()).toMatchObject({ amount_cents: 1111 })

    // The owner changes the price through replica A's API.
    const login = await call<{ token: string }>('/api/auth/login', { body: { email: shop.email, password: shop.password }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(login.status).toBe(200)
    const put = await call(`/api/webstore/items/${item!.id}`, {
      method: 'PUT',
      token: login.body.token,
      headers: { 'x-license-id': shop.license.id, 'x-forwarded-for': fakeIp() },
      body: { category_id: shop.categoryId, name: 'Knight rank', price_cents: 1499, commands: [{ command: 'lp user {player} parent add knight', require_online: false }] },
    })
    expect(put.status).toBe(200)
    // The replica that answered the change shows it at once (read your writes, no waiting on the signal).
    expect((await itemsOn(replicaA(), shop.subdomain))[0]!.price_cents).toBe(1499)
    expect(await pageOn(replicaA(), shop.subdomain)).toContain('14.99')
    await seenOnB(shop.subdomain, item!.id, 1499, '14.99')
  })

  it('a sale created on A shows on B, and B drops the store when its license is suspended', async () => {
    const { shop, items: [item] } = await openStoreWith('replicas-sale', [{ name: 'Sword kit', priceCents: 1000 }])
    const { db } = await serverDb()
    expect((await itemsOn(replicaB.url, shop.subdomain))[0]!.sale).toBeNull()
    await db.insert(storeSales).values({ licenseId: shop.license.id, name: 'Weekend', percent: 25, startsAt: sql`now() - interval '1 minute'`, endsAt: sql`now() + interval '1 hour'` })
    await seenOnB(shop.subdomain, item!.id, 750, '7.50')

    await db.execute(sql`update licenses set status = 'suspended' where id = ${shop.license.id}`)
    await pollFor(async () => ((await fetch(`${replicaB.url}/api/public-store/${shop.subdomain}/items`)).status === 404 ? true : undefined), {
      timeoutMs: SIGNAL_DEADLINE_MS, everyMs: 25, failure: () => 'replica B still served a suspended store',
    })
    expect((await fetch(`${replicaB.url}/s/${shop.subdomain}`)).status).toBe(404)
  })
  it('a basket quote (anonymous, writes nothing) costs no barrier; an owner write does', async () => {
    // On replica B, which only this file uses, so its barrier markers are counted from 1.
    const { shop, items: [item] } = await openStoreWith('replicas-quote', [{ name: 'Bow', priceCents: 300 }])
    expect((await itemsOn(replicaB.url, shop.subdomain))[0]!.price_cents).toBe(300) // B holds a snapshot: barriers run
    const { listen } = await serverDb()
    const markers: string[] = []
    const stop = await listen('cairn_store_changed', (payload) => {
      if (/^ping:[^:]+:b\d+$/.test(payload)) markers.push(payload)
    })
    try {
      const onB = (path: string, init: RequestInit) => fetch(`${replicaB.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } })
      expect((await onB(`/api/public-store/${shop.subdomain}/quote`, { method: 'POST', body: JSON.stringify({ player_name: 'Steve', lines: [{ item_id: item!.id }] }) })).status).toBe(200)
      const login = await onB('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: shop.email, password: shop.password }) })
      const { token } = await login.json() as { token: string }
      const write = await onB('/api/webstore/categories', { method: 'POST', headers: { 'authorization': `Bearer ${token}`, 'x-license-id': shop.license.id }, body: JSON.stringify({ name: 'Bows' }) })
      expect(write.status).toBe(201)
      // The write's answer left after its marker came back; had the quote waited too, that marker would be B's second.
      const first = await pollFor(() => markers.find(m => m.endsWith(':b1')), { timeoutMs: 5000, everyMs: 20, failure: () => `no first barrier marker from B (saw ${markers.join(', ')})` })
      const instance = first!.split(':')[1]
      expect(markers.filter(m => m.split(':')[1] === instance)).toEqual([first])
    }
    finally {
      await stop()
    }
  })
})
