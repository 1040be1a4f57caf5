import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { storeItems, storeTransactions, webstoreSubscriptions } from '../../server/db/schema'
import { DomainError } from '../../server/platform/errors'
import { createCategory, deleteCategory, listCategories, updateCategory } from '../../server/domains/webstore/categories'
import { getStoreConfig, openPaypalSecret, saveStoreConfig } from '../../server/domains/webstore/config'
import { itemInputSchema, storeConfigInputSchema } from '../../shared/contracts/webstore'
import { seedWebstoreDemo } from '../../server/domains/demo/store'
import { createItem, deleteItem, listItems } from '../../server/domains/webstore/items'
import { listTransactions, transactionCsv } from '../../server/domains/webstore/transactions'
import { decodeCursor } from '../../server/platform/pagination'
import { parseInput } from '../../server/platform/validation'
import { createOwnerLicense } from '../support/licenses'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_webstore')

const newLicense = async () => (await createOwnerLicense(t.deps, 'ws')).license

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  if (!(error instanceof DomainError)) throw new Error(`expected a domain error, got ${String(error)}`)
  return error
}

const item = (categoryId: string, overrides: Record<string, unknown> = {}) => parseInput(itemInputSchema, {
  category_id: categoryId,
  name: 'VIP',
  price_cents: 499,
  commands: [{ command: 'lp user {player} parent add vip', require_online: false }],
  ...overrides,
})

describe('store config', () => {
  const deps = () => t.deps

  it('seals the secret bound to the license, keeps it when omitted, clears it on null', async () => {
    const license = await newLicense()
    await saveStoreConfig(deps(), license.id, parseInput(storeConfigInputSchema, { name: 'Shop', paypal_client_id: 'cid', paypal_client_secret: 'top-secret-value', enabled: false }))
    const stored = await getStoreConfig(t.deps, license.id)
    expect(stored?.paypalClientSecretSealed).toBeTruthy()
    expect(stored?.paypalClientSecretSealed).not.toContain('top-secret-value')
    expect(stored && openPaypalSecret(t.deps, stored)).toBe('top-secret-value')
    // Copied onto another license, the sealed value does not open (AAD = license id).
    const other = await newLicense()
    expect(() => stored && openPaypalSecret(t.deps, { ...stored, licenseId: other.id })).toThrow()

    await saveStoreConfig(deps(), license.id, parseInput(storeConfigInputSchema, { name: 'Shop 2', description: 'new' }))
    const kept = await getStoreConfig(t.deps, license.id)
    expect(kept).toMatchObject({ name: 'Shop 2', description: 'new', paypalClientId: 'cid', paypalClientSecretSealed: stored?.paypalClientSecretSealed })

    await saveStoreConfig(deps(), license.id, parseInput(storeConfigInputSchema, { paypal_client_secret: null }))
    expect((await getStoreConfig(t.deps, license.id))?.paypalClientSecretSealed).toBeNull()
  })

  it('lists exactly the unmet enable requirements and writes nothing', async () => {
    const license = await newLicense()
    const error = await rejection(saveStoreConfig(deps(), license.id, parseInput(storeConfigInputSchema, { enabled: true })))
    expect(error.statusCode).toBe(400)
    expect(error.data?.missing).toEqual(['name', 'paypal_client_id', 'paypal_client_secret', 'subscription'])
    expect(await getStoreConfig(t.deps, license.id)).toBeUndefined()

    await t.db.insert(webstoreSubscriptions).values({ licenseId: license.id, status: 'APPROVAL_PENDING' })
    const partial = await rejection(saveStoreConfig(deps(), license.id, parseInput(storeConfigInputSchema, { name: 'Shop', paypal_client_id: 'cid', enabled: true })))
    expect(partial.data?.missing).toEqual(['paypal_client_secret', 'subscription'])

    await t.db.update(webstoreSubscriptions).set({ status: 'ACTIVE' }).where(eq(webstoreSubscriptions.licenseId, license.id))
    const row = await saveStoreConfig(deps(), license.id, parseInput(storeConfigInputSchema, { name: 'Shop', paypal_client_id: 'cid', paypal_client_secret: 's3cret', enabled: true }))
    expect(row.enabled).toBe(true)
  })

  it('refuses a store without a name', async () => {
    const license = await newLicense()
    const error = await rejection(saveStoreConfig(deps(), license.id, parseInput(storeConfigInputSchema, { name: '  ', enabled: false })))
    expect(error.data?.issues).toEqual([{ path: 'name', message: expect.any(String) }])
  })
})

describe('categories and items', () => {
  it('scopes every query by license', async () => {
    const a = await newLicense()
    const b = await newLicense()
    const cat = await createCategory(t.deps, a.id, { name: 'Ranks', description: '', sort_order: 0 })
    expect(await listCategories(t.deps, b.id)).toEqual([])
    expect((await rejection(updateCategory(t.deps, b.id, cat.id, { name: 'X', description: '', sort_order: 0 }))).statusCode).toBe(404)
    expect((await rejection(deleteCategory(t.deps, b.id, cat.id))).statusCode).toBe(404)
    const filed = await rejection(createItem(t.deps, b.id, item(cat.id)))
    expect(filed.data?.issues).toEqual([{ path: 'category_id', message: expect.any(String) }])
    const own = await createItem(t.deps, a.id, item(cat.id))
    expect(await listItems(t.deps, b.id)).toEqual([])
    expect((await rejection(deleteItem(t.deps, b.id, own.id))).statusCode).toBe(404)
  })

  it('blocks deleting a category with live items, then soft-deletes a sold item and frees the category', async () => {
    const license = await newLicense()
    const db = t.db
    const cat = await createCategory(t.deps, license.id, { name: 'Kits', description: '', sort_order: 0 })
    const unsold = await createItem(t.deps, license.id, item(cat.id, { name: 'Unsold' }))
    const sold = await createItem(t.deps, license.id, item(cat.id, { name: 'Sold' }))
    await db.insert(storeTransactions).values({ licenseId: license.id, itemId: sold.id, itemName: sold.name, playerName: 'Steve', unitPriceCents: 499, amountCents: 499, currency: 'USD', status: 'delivered' })

    const conflict = await rejection(deleteCategory(t.deps, license.id, cat.id))
    expect(conflict.statusCode).toBe(409)
    expect(conflict.data).toEqual({ item_count: 2 })

    expect(await deleteItem(t.deps, license.id, unsold.id)).toBe('deleted')
    expect(await deleteItem(t.deps, license.id, sold.id)).toBe('soft-deleted')
    const [kept] = await db.select().from(storeItems).where(eq(storeItems.id, sold.id))
    expect(kept?.deletedAt).toBeInstanceOf(Date)
    expect(kept?.enabled).toBe(false)
    expect(await listItems(t.deps, license.id)).toEqual([])
    expect((await rejection(deleteItem(t.deps, license.id, sold.id))).statusCode).toBe(404)

    await deleteCategory(t.deps, license.id, cat.id)
    const [orphan] = await db.select().from(storeItems).where(eq(storeItems.id, sold.id))
    expect(orphan?.categoryId).toBeNull()
  })
})

describe('transactions', () => {
  it('pages newest first with a stable cursor, even for identical timestamps at microsecond precision', async () => {
    const license = await newLicense()
    const db = t.db
    const cat = await createCategory(t.deps, license.id, { name: 'C', description: '', sort_order: 0 })
    const it1 = await createItem(t.deps, license.id, item(cat.id))
    // Sub-millisecond spacing plus exact ties: a millisecond cursor would skip or repeat rows.
    for (let i = 0; i < 25; i++) {
      await db.execute(sql`insert into store_transactions (license_id, item_id, item_name, player_name, unit_price_cents, amount_cents, currency, status, created_at)
        values (${license.id}, ${it1.id}, 'VIP', ${i % 2 ? 'Steve' : 'alex'}, 499, 499, 'USD', ${i % 3 ? 'delivered' : 'pending'},
        timestamptz '2026-05-01 12:00:00.000000+00' + make_interval(secs => ${Math.floor(i / 2)} * 0.0003))`)
    }
    const seen: string[] = []
    let cursor: string | undefined
    for (let pages = 0; pages < 20; pages++) {
      const page = await listTransactions(t.deps, license.id, { cursor }, 4)
      seen.push(...page.rows.map(r => r.id))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    const all = await listTransactions(t.deps, license.id, {}, 500)
    expect(all.nextCursor).toBeNull()
    expect(seen).toEqual(all.rows.map(r => r.id))
    expect(new Set(seen).size).toBe(25)
    const times = all.rows.map(r => r.createdAt.getTime())
    expect([...times].sort((x, y) => y - x)).toEqual(times)

    const steve = await listTransactions(t.deps, license.id, { player: 'STEVE' }, 500)
    expect(steve.rows).toHaveLength(12)
    const pending = await listTransactions(t.deps, license.id, { status: 'pending' }, 500)
    expect(pending.rows.every(r => r.status === 'pending')).toBe(true)
    expect(pending.rows).toHaveLength(9)

    let csv = ''
    for await (const chunk of transactionCsv(t.deps, license.id, { player: 'alex' }, 5)) csv += chunk
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe('id,created_at,item_id,item_name,player_name,player_uuid,quantity,amount_cents,currency,status,paypal_order_id,paid_at,delivered_at,lines,subtotal_cents,discount_cents,coupon_code')
    expect(lines).toHaveLength(14)
  })

  it('refuses a forged cursor', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(DomainError)
    expect(() => decodeCursor(Buffer.from('2026-01-01|x').toString('base64url'))).toThrow(DomainError)
  })

  it('refuses a well-formed cursor naming a date PostgreSQL rejects as a 400, not a database error', async () => {
    const license = await newLicense()
    const cursor = (createdAt: string) => Buffer.from(`${createdAt}|00000000-0000-4000-8000-000000000000`, 'utf8').toString('base64url')
    for (const at of ['2024-02-30T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2024-01-01T24:00:00.000000Z']) {
      const error = await rejection(listTransactions(t.deps, license.id, { cursor: cursor(at) }))
      expect(error.statusCode, at).toBe(400)
    }
    const ok = await listTransactions(t.deps, license.id, { cursor: cursor('2024-02-29T23:59:59.123456Z') })
    expect(ok).toEqual({ rows: [], nextCursor: null })
  })
})

describe('demo seed', () => {
  it('creates an enabled, subscribed store with two categories and items', async () => {
    const license = await newLicense()
    await t.db.transaction(tx => seedWebstoreDemo({ ...t.deps, db: tx }, license.id))
    const config = await getStoreConfig(t.deps, license.id)
    expect(config?.enabled).toBe(true)
    expect(await listCategories(t.deps, license.id)).toHaveLength(2)
    const items = await listItems(t.deps, license.id)
    expect(items.length).toBeGreaterThanOrEqual(3)
    const [sub] = await t.db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.licenseId, license.id))
    expect(sub?.status).toBe('ACTIVE')
  })
})
