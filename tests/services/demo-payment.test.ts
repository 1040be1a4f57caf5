import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { deliveries, storeConfig, storeTransactions, type StoreItemRow } from '../../server/db/schema'
import { captureTransaction } from '../../server/domains/storefront/capture'
import { createPurchase } from '../../server/domains/storefront/purchase'
import { findOpenStore } from '../../server/domains/storefront/storefront'
import { saveStoreConfig } from '../../server/domains/webstore/config'
import type { Deps } from '../../server/platform/deps'
import { DomainError } from '../../server/platform/errors'
import { testEnvWith } from '../support/deps'
import { useFakePayPal } from '../support/fake-paypal'
import { createOpenStore, createStoreItem, withPayPal, type StoreFixture } from '../support/paypal'
import { useTestDatabase } from '../support/test-database'

// The embedded demo's payment mode: only the store flagged by the demo seed, never in production.

const t = useTestDatabase('cairn_demo_pay')
useFakePayPal()
let demo: StoreFixture
let other: StoreFixture
let item: StoreItemRow
let otherItem: StoreItemRow
const urls = (s: StoreFixture) => ({ storefrontBase: `https://panel.example.test/s/${s.subdomain}` })
const production = (): Deps => ({ ...t.deps, env: testEnvWith({ NODE_ENV: 'production', APP_SECRET: 'a-production-secret-of-at-least-32-bytes!' }) })

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`)
  return error
}

const buy = (deps: Deps, s: StoreFixture, itemId: string) => findOpenStore(deps, s.subdomain)
  .then(store => createPurchase(deps, store, { item_id: itemId, player_name: 'Steve', quantity: 1 }, urls(s)))

const deliveriesOf = (txId: string) => t.db.select().from(deliveries).where(eq(deliveries.refId, txId))

beforeAll(async () => {
  demo = await createOpenStore(t.db, { tag: 'demo' })
  other = await createOpenStore(t.db, { tag: 'other' })
  // What the demo seed writes: the flag no API sets, demo mode, no PayPal app.
  await t.db.update(storeConfig).set({ demoStore: true, paypalMode: 'demo', paypalClientId: '', paypalClientSecretSealed: null }).where(eq(storeConfig.licenseId, demo.license.id))
  item = await createStoreItem(t.db, demo, { priceCents: 499 })
  otherItem = await createStoreItem(t.db, other, { priceCents: 499 })
})

describe('demo payment mode', () => {
  it('checks out to Cairn\'s own page, and Approve pays it once, queueing one delivery', async () => {
    const purchase = await buy(t.deps, demo, item.id)
    expect(purchase).toMatchObject({ status: 'pending', approval_url: `https://panel.example.test/s/${demo.subdomain}/demo-pay/${purchase.transaction_id}` })
    const [row] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, purchase.transaction_id))
    expect(row).toMatchObject({ paypalMode: 'demo', paypalOrderId: null, status: 'pending' })

    const store = await findOpenStore(t.deps, demo.subdomain)
    const captures = await Promise.all([1, 2, 3].map(() => captureTransaction(t.deps, store, purchase.transaction_id)))
    expect(captures.map(c => c.status)).toEqual(['paid', 'paid', 'paid'])
    expect(await captureTransaction(t.deps, store, purchase.transaction_id)).toEqual({ transaction_id: purchase.transaction_id, status: 'paid' })
    expect(await deliveriesOf(purchase.transaction_id)).toHaveLength(1)
  })

  it('a transaction of a store that is not the demo one is never captured the demo way', async () => {
    const purchase = await buy(withPayPal(t.deps), other, otherItem.id)
    // A row claiming demo mode on a store without the seed's flag (e.g. written by hand).
    await t.db.update(storeTransactions).set({ paypalMode: 'demo' }).where(eq(storeTransactions.id, purchase.transaction_id))
    const store = await findOpenStore(t.deps, other.subdomain)
    expect((await rejection(captureTransaction(t.deps, store, purchase.transaction_id))).statusCode).toBe(409)
    const [row] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, purchase.transaction_id))
    expect(row?.status).toBe('pending')
    expect(await deliveriesOf(purchase.transaction_id)).toHaveLength(0)
  })

  it('a store config that says demo without the flag cannot check out', async () => {
    await t.db.update(storeConfig).set({ paypalMode: 'demo' }).where(eq(storeConfig.licenseId, other.license.id))
    try {
      const before = await t.db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, other.license.id))
      expect((await rejection(buy(t.deps, other, otherItem.id))).statusCode).toBe(409)
      expect(await t.db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, other.license.id))).toHaveLength(before.length)
    }
    finally {
      await t.db.update(storeConfig).set({ paypalMode: 'sandbox' }).where(eq(storeConfig.licenseId, other.license.id))
    }
  })

  it('production never serves demo mode, even for the flagged store', async () => {
    const pending = await buy(t.deps, demo, item.id)
    const before = await t.db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, demo.license.id))
    expect((await rejection(buy(production(), demo, item.id))).statusCode).toBe(409)
    expect(await t.db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, demo.license.id))).toHaveLength(before.length)

    const store = await findOpenStore(production(), demo.subdomain)
    expect((await rejection(captureTransaction(production(), store, pending.transaction_id))).statusCode).toBe(409)
    const [row] = await t.db.select().from(storeTransactions).where(eq(storeTransactions.id, pending.transaction_id))
    expect(row?.status).toBe('pending')
    expect(await deliveriesOf(pending.transaction_id)).toHaveLength(0)
  })

  it('the config refuses "demo" (400 naming paypal_mode) for another store and in production; the demo store keeps it without PayPal credentials', async () => {
    const base = { name: 'Shop', currency: 'USD' as const, enabled: true }
    const refused = await rejection(saveStoreConfig(t.deps, other.license.id, { ...base, paypal_mode: 'demo' }))
    expect(refused.statusCode).toBe(400)
    expect(refused.data).toMatchObject({ issues: [expect.objectContaining({ path: 'paypal_mode' })] })
    const inProduction = await rejection(saveStoreConfig(production(), demo.license.id, { ...base, paypal_mode: 'demo' }))
    expect(inProduction.statusCode).toBe(400)
    expect(inProduction.data).toMatchObject({ issues: [expect.objectContaining({ path: 'paypal_mode' })] })
    const [otherRow] = await t.db.select().from(storeConfig).where(eq(storeConfig.licenseId, other.license.id))
    expect(otherRow).toMatchObject({ paypalMode: 'sandbox', demoStore: false })

    const saved = await saveStoreConfig(t.deps, demo.license.id, { ...base, paypal_mode: 'demo' })
    expect(saved).toMatchObject({ paypalMode: 'demo', demoStore: true, enabled: true, paypalClientSecretSealed: null })
  })
})
