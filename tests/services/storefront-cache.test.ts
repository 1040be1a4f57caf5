import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { storeCategories, storeConfig, storeItems, storeSales, storeTransactions, webstoreSubscriptions } from '../../server/db/schema'
import { createUser } from '../../server/domains/auth/users'
import { createLicense } from '../../server/domains/licenses/licenses'
import { STORE_CHANGED_CHANNEL, StorefrontCache, type StoreSnapshot } from '../../server/domains/storefront/public-cache'
import { publicItemsJson, publicStoreJson } from '../../server/domains/storefront/public-reads'
import { getPublicStore, findOpenStore, listPublicItems } from '../../server/domains/storefront/storefront'
import type { Deps } from '../../server/platform/deps'
import { createNotifyBus, notify, type NotifyBus, type RawListen } from '../../server/platform/notify'
import { NotFound } from '../../server/platform/errors'
import { quietLog } from '../support/deps'
import { pollFor } from '../support/poll'
import { useTestDatabase } from '../support/test-database'

// The replica's storefront cache against a real database and its real LISTEN/NOTIFY: what it keeps,
// what retires it (every committed write that players could see, via migration 0012's triggers),
// what must not (a rolled-back write), sale boundaries on the clock, and stepping aside when the
// signal path cannot be trusted (LISTEN re-established, heartbeat lost).

const t = useTestDatabase('cairn_cache')

/** The database's own LISTEN, with two levers for the tests: drop every signal, or report a re-LISTEN. */
function leveredBus() {
  const levers = { deaf: false, delayMs: 0, relisten: undefined as (() => void) | undefined }
  const rawListen: RawListen = (channel, onPayload, onListen) => {
    levers.relisten = onListen
    return t.handle.listen(channel, (payload) => {
      if (levers.deaf) return
      // A slow LISTEN connection: every signal late by the same time, so still in commit order.
      if (levers.delayMs > 0) setTimeout(() => onPayload(payload), levers.delayMs)
      else onPayload(payload)
    }, onListen)
  }
  return { bus: createNotifyBus(rawListen, quietLog), levers }
}

let main: ReturnType<typeof leveredBus>
let cache: StorefrontCache
let deps: Deps & { bus: NotifyBus }

beforeAll(async () => {
  main = leveredBus()
  deps = { ...t.deps, bus: main.bus }
  cache = new StorefrontCache(deps)
  await cache.start()
})
afterAll(async () => {
  cache.close()
  await main.bus.close()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Every signal committed so far has reached the listeners (NOTIFY is delivered in commit order). */
async function settle(): Promise<void> {
  const marker = `ping:settle:${Math.random()}`
  let seen = false
  const off = main.bus.listen(STORE_CHANGED_CHANNEL, (payload) => {
    if (payload === marker) seen = true
  })
  try {
    await notify(t.deps, STORE_CHANGED_CHANNEL, marker)
    await pollFor(() => (seen ? true : undefined), { timeoutMs: 5000, everyMs: 5, failure: () => 'our own signal never came back' })
  }
  finally {
    off()
  }
}

async function openStore(tag: string) {
  const email = `${tag}-${Math.random().toString(36).slice(2, 8)}@example.test`
  const user = await createUser(t.deps, { email, password: 'correct horse battery' })
  const { license } = await createLicense(t.deps, { userId: user.id, email, hostname: `${tag}.example.net` })
  await t.db.insert(storeConfig).values({ licenseId: license.id, name: `${tag} store`, description: 'Ranks', currency: 'USD', enabled: true, paypalClientId: 'x', paypalMode: 'sandbox' })
  await t.db.insert(webstoreSubscriptions).values({ licenseId: license.id, status: 'ACTIVE' })
  const [category] = await t.db.insert(storeCategories).values({ licenseId: license.id, name: 'Ranks' }).returning()
  const [item] = await t.db.insert(storeItems).values({ licenseId: license.id, categoryId: category!.id, name: 'VIP', priceCents: 1000, commands: [{ command: 'say {player}', require_online: false }] }).returning()
  await settle()
  return { license, subdomain: license.subdomain, item: item!, categoryId: category!.id }
}

/** Once the signals committed so far are in, the cache holds a different snapshot of `subdomain` than `before`. */
async function replaced(subdomain: string, before: StoreSnapshot): Promise<StoreSnapshot> {
  await settle()
  expect(before.live).toBe(false)
  const now = await cache.snapshot(deps, subdomain)
  expect(now).not.toBe(before)
  expect(await cache.snapshot(deps, subdomain)).toBe(now)
  return now
}

describe('storefront cache', () => {
  it('keeps one snapshot per store with the same bytes the database reads give', async () => {
    const shop = await openStore('keep')
    const first = await cache.snapshot(deps, shop.subdomain)
    expect(await cache.snapshot(deps, shop.subdomain)).toBe(first)
    const store = await findOpenStore(t.deps, shop.subdomain)
    expect(first.storeJson).toBe(JSON.stringify(await getPublicStore(t.deps, store)))
    expect(first.itemsJson).toBe(JSON.stringify({ items: await listPublicItems(t.deps, store) }))
    expect(JSON.parse(await publicItemsJson(deps, shop.subdomain, shop.categoryId))).toEqual({ items: first.items })
    expect(JSON.parse(await publicItemsJson(deps, shop.subdomain, '00000000-0000-4000-8000-000000000000'))).toEqual({ items: [] })
  })

  it('drops a store on every committed change players can see, and on none that rolled back', async () => {
    const shop = await openStore('change')
    const other = await openStore('bystander')
    let snap = await cache.snapshot(deps, shop.subdomain)

    await t.db.update(storeItems).set({ priceCents: 1250 }).where(eq(storeItems.id, shop.item.id))
    snap = await replaced(shop.subdomain, snap)
    expect(snap.items[0]!.price_cents).toBe(1250)

    // Rolled back: no signal, so the snapshot stays.
    await t.db.transaction(async (tx) => {
      await tx.update(storeItems).set({ priceCents: 1 }).where(eq(storeItems.id, shop.item.id))
      tx.rollback()
    }).catch(() => {})
    await settle()
    expect(await cache.snapshot(deps, shop.subdomain)).toBe(snap)

    // Another store's change leaves this one alone.
    await t.db.update(storeCategories).set({ name: 'Kits' }).where(eq(storeCategories.licenseId, other.license.id))
    await settle()
    expect(await cache.snapshot(deps, shop.subdomain)).toBe(snap)

    await t.db.update(storeConfig).set({ name: 'Renamed' }).where(eq(storeConfig.licenseId, shop.license.id))
    snap = await replaced(shop.subdomain, snap)
    expect(JSON.parse(snap.storeJson).store.name).toBe('Renamed')

    await t.db.update(storeItems).set({ stock: 0 }).where(eq(storeItems.id, shop.item.id))
    snap = await replaced(shop.subdomain, snap)
    expect(snap.items[0]).toMatchObject({ stock: 0, in_stock: false })

    await t.db.update(webstoreSubscriptions).set({ status: 'SUSPENDED' }).where(eq(webstoreSubscriptions.licenseId, shop.license.id))
    await pollFor(() => cache.snapshot(deps, shop.subdomain).then(() => undefined, (error: unknown) => (error instanceof NotFound ? true : undefined)), {
      timeoutMs: 5000, everyMs: 10, failure: () => 'a store whose subscription is suspended was still served',
    })
    await expect(publicStoreJson(deps, shop.subdomain)).rejects.toBeInstanceOf(NotFound)
  })

  it('expires at a sale\'s start and end, whatever the signals', async () => {
    const shop = await openStore('sale')
    const start = new Date('2031-05-01T10:00:00Z')
    const end = new Date('2031-05-01T10:00:20Z') // shorter than the 30 s safety expiry
    await t.db.insert(storeSales).values({ licenseId: shop.license.id, name: 'May', percent: 20, startsAt: start, endsAt: end })
    await settle()
    t.clock.set(new Date(start.getTime() - 10_000))
    const before = await cache.snapshot(deps, shop.subdomain)
    expect(before.items[0]).toMatchObject({ price_cents: 1000, sale: null })
    expect(before.validUntil).toBe(start.getTime())

    t.clock.set(start)
    const during = await cache.snapshot(deps, shop.subdomain)
    expect(during.items[0]).toMatchObject({ price_cents: 800, regular_price_cents: 1000, sale: { percent: 20 } })
    expect(during.validUntil).toBe(end.getTime())
    t.clock.set(new Date(end.getTime() - 1))
    expect(await cache.snapshot(deps, shop.subdomain)).toBe(during)

    t.clock.set(end)
    expect((await cache.snapshot(deps, shop.subdomain)).items[0]).toMatchObject({ price_cents: 1000, sale: null })
  })

  it('forgets everything when the LISTEN was re-established (signals may have been lost)', async () => {
    const shop = await openStore('gap')
    const before = await cache.snapshot(deps, shop.subdomain)
    main.levers.relisten?.()
    const after = await cache.snapshot(deps, shop.subdomain)
    expect(after).not.toBe(before)
    expect(before.live).toBe(false)
  })

  it('holds memory within its bound: the store loaded longest ago goes first', async () => {
    const small = new StorefrontCache(deps, 1500)
    await small.start()
    try {
      const [a, b] = [await openStore('bound-a'), await openStore('bound-b')]
      const first = await small.snapshot(deps, a.subdomain)
      expect(small.size.stores).toBe(1)
      small.keepPage(first, '/', { html: 'x'.repeat(600), headers: {} })
      expect(small.size.chars).toBeLessThanOrEqual(1500)
      await small.snapshot(deps, b.subdomain)
      expect(first.live).toBe(false)
      expect(small.size.stores).toBe(1)
      expect(small.size.chars).toBeLessThanOrEqual(1500)
    }
    finally {
      small.close()
    }
  })

  it('a read after a change never joins a load that began before it', async (context) => {
    if (t.handle.kind !== 'postgres') return context.skip() // PGlite runs one query at a time: nothing is under way
    const shop = await openStore('inflight')
    // A load held up halfway (its sale query waits on a lock) while the owner renames the store.
    let release!: () => void
    const held = new Promise<void>(resolve => (release = resolve))
    let locked!: () => void
    const lockTaken = new Promise<void>(resolve => (locked = resolve))
    const holder = t.db.transaction(async (tx) => {
      await tx.execute(sql`lock table store_sales in access exclusive mode`)
      locked()
      await held
    })
    await lockTaken
    const early = cache.snapshot(deps, shop.subdomain)
    // It has read the store (name included) and now waits on the lock.
    await pollFor(async () => {
      const rows = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'store_sales' and not l.granted`)
      const [row] = Array.isArray(rows) ? rows : (rows as unknown as { rows: Array<{ n: number }> }).rows
      return (row?.n ?? 0) > 0 ? true : undefined
    }, { timeoutMs: 5000, everyMs: 10, failure: () => 'the load never reached the lock' })
    await t.db.update(storeConfig).set({ name: 'Renamed mid-load' }).where(eq(storeConfig.licenseId, shop.license.id))
    await cache.barrier()
    const late = cache.snapshot(deps, shop.subdomain)
    release()
    await holder
    expect(JSON.parse((await late).storeJson).store.name).toBe('Renamed mid-load')
    expect((await early).live).toBe(false)
  })

  it('a barrier returns only once the signals committed before it are handled', async () => {
    const shop = await openStore('barrier')
    const before = await cache.snapshot(deps, shop.subdomain)
    // Signals arrive 200 ms late: only waiting for our own marker, which comes after, can see it.
    main.levers.delayMs = 200
    try {
      await t.db.update(storeItems).set({ priceCents: 1900 }).where(eq(storeItems.id, shop.item.id))
      await cache.barrier()
      expect(before.live).toBe(false)
      expect((await cache.snapshot(deps, shop.subdomain)).items[0]!.price_cents).toBe(1900)
    }
    finally {
      main.levers.delayMs = 0
    }
  })

  it('on PostgreSQL, a LISTEN connection killed under it: the store is forgotten and signals work again', async (context) => {
    if (t.handle.kind !== 'postgres') return context.skip()
    const shop = await openStore('killed')
    const before = await cache.snapshot(deps, shop.subdomain)
    await t.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`)
    // postgres.js reconnects and LISTENs again; the gap forgets everything.
    await pollFor(() => (before.live ? undefined : true), { timeoutMs: 10_000, everyMs: 20, failure: () => 'the re-established LISTEN never retired the snapshot' })
    const after = await cache.snapshot(deps, shop.subdomain)
    await t.db.update(storeItems).set({ priceCents: 2500 }).where(eq(storeItems.id, shop.item.id))
    expect((await replaced(shop.subdomain, after)).items[0]!.price_cents).toBe(2500)
  })

  it('steps aside while its own heartbeat does not come back, and resumes once it does', async () => {
    const own = leveredBus()
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const heartbeat = new StorefrontCache({ ...t.deps, bus: own.bus })
    await heartbeat.start()
    try {
      const shop = await openStore('heartbeat')
      const kept = await heartbeat.snapshot(deps, shop.subdomain)
      expect(await heartbeat.snapshot(deps, shop.subdomain)).toBe(kept)

      own.levers.deaf = true
      vi.advanceTimersByTime(5_000) // ping 1 leaves; it is never heard
      await new Promise(resolve => setTimeout(resolve, 50))
      vi.advanceTimersByTime(5_000) // ping 1 missing: not trusted any more
      expect(heartbeat.active).toBe(false)
      const a = await heartbeat.snapshot(deps, shop.subdomain)
      expect(a).not.toBe(kept)
      expect(await heartbeat.snapshot(deps, shop.subdomain)).not.toBe(a) // every read goes to the database

      own.levers.deaf = false
      vi.advanceTimersByTime(5_000)
      await pollFor(() => (heartbeat.active ? true : undefined), { timeoutMs: 5000, everyMs: 10, failure: () => 'the cache never trusted the signals again' })
      const b = await heartbeat.snapshot(deps, shop.subdomain)
      expect(await heartbeat.snapshot(deps, shop.subdomain)).toBe(b)
    }
    finally {
      heartbeat.close()
      await own.bus.close()
    }
  })

  it('shows the latest purchases once an order is paid', async () => {
    const shop = await openStore('widgets')
    await t.db.update(storeConfig).set({ showRecentPurchases: true }).where(eq(storeConfig.licenseId, shop.license.id))
    await settle()
    let snap = await cache.snapshot(deps, shop.subdomain)
    expect(JSON.parse(snap.storeJson).widgets.recent_purchases).toEqual([])
    const [order] = await t.db.insert(storeTransactions).values({ licenseId: shop.license.id, itemId: shop.item.id, itemName: 'VIP', playerName: 'Notch', unitPriceCents: 1000, amountCents: 1000, currency: 'USD', status: 'pending' }).returning()
    await settle()
    expect(await cache.snapshot(deps, shop.subdomain)).toBe(snap) // a pending order shows nowhere
    await t.db.update(storeTransactions).set({ status: 'paid', paidAt: t.deps.clock.now() }).where(eq(storeTransactions.id, order!.id))
    snap = await replaced(shop.subdomain, snap)
    expect(JSON.parse(snap.storeJson).widgets.recent_purchases).toMatchObject([{ player_name: 'Notch', item_name: 'VIP' }])
    // Delivered by the agent: still a paid order, nothing players see changes, the store stays.
    await t.db.update(storeTransactions).set({ status: 'delivered' }).where(eq(storeTransactions.id, order!.id))
    await settle()
    expect(await cache.snapshot(deps, shop.subdomain)).toBe(snap)
    // Inserted already paid (a grant, a free basket): shown at once.
    await t.db.insert(storeTransactions).values({ licenseId: shop.license.id, itemId: shop.item.id, itemName: 'VIP', playerName: 'Jeb', unitPriceCents: 0, amountCents: 0, currency: 'USD', status: 'paid', paidAt: t.deps.clock.now(), source: 'manual' })
    snap = await replaced(shop.subdomain, snap)
    expect(JSON.parse(snap.storeJson).widgets.recent_purchases.map((p: { player_name: string }) => p.player_name)).toEqual(['Jeb', 'Notch'])
  })
})
