import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeConfig, type StoreItemRow } from '../../server/db/schema'
import { pollAgentQueue } from '../../server/domains/agent/queue'
import { captureTransaction } from '../../server/domains/storefront/capture'
import { createPurchase } from '../../server/domains/storefront/purchase'
import { findOpenStore } from '../../server/domains/storefront/storefront'
import type { Db } from '../../server/db'
import type { Deps } from '../../server/platform/deps'
import { createNotifyBus, type NotifyBus } from '../../server/platform/notify'
import { quietLog } from '../support/deps'
import { useFakePayPal } from '../support/fake-paypal'
import { createOpenStore, createStoreItem, type StoreFixture } from '../support/paypal'
import { useTestDatabase } from '../support/test-database'

// GET /api/agent/queue?wait=: a delivery committed right after the poll's first read of the queue
// (the old gap between that read and the LISTEN) must end the wait through the signal. The
// re-check safety net is switched off (an hour), so a missed signal shows as this test hanging
// until its timeout: no timing is measured.

const t = useTestDatabase('cairn_queue_poll')
useFakePayPal()
let shop: StoreFixture
let item: StoreItemRow
let bus: NotifyBus
const NO_RECHECK = 3_600_000

beforeAll(async () => {
  shop = await createOpenStore(t.db, { tag: 'poll' })
  await t.db.update(storeConfig).set({ demoStore: true, paypalMode: 'demo' }).where(eq(storeConfig.licenseId, shop.license.id))
  item = await createStoreItem(t.db, shop, { priceCents: 250 })
  bus = createNotifyBus(t.handle.listen, quietLog)
})
afterAll(() => bus.close())

/** A paid purchase, committed: its delivery row's trigger NOTIFYs the license's queue. */
async function commitDelivery(): Promise<string> {
  const store = await findOpenStore(t.deps, shop.subdomain)
  const purchase = await createPurchase(t.deps, store, { item_id: item.id, player_name: 'Alex', quantity: 1 }, { storefrontBase: 'https://panel.example.test/s/x' })
  await captureTransaction(t.deps, store, purchase.transaction_id)
  return purchase.transaction_id
}

/**
 * `db` whose first query resolves only after `after()` has run: the query's own answer (read
 * before `after`) is what the caller sees, so `after` lands exactly between that read and whatever
 * the caller does next.
 */
function afterFirstRead(db: Db, after: () => Promise<unknown>): Db {
  let fired = false
  const hook = <T extends object>(target: T): T => new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj)
      if (prop === 'then' && typeof value === 'function') {
        return (resolve: (v: unknown) => unknown, reject: (e: unknown) => unknown) => (value as (f: (v: unknown) => unknown) => Promise<unknown>).call(obj, async (rows: unknown) => {
          if (!fired) {
            fired = true
            await after()
          }
          return rows
        }).then(resolve, reject)
      }
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const out: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args)
        return out !== null && typeof out === 'object' ? hook(out) : out
      }
    },
  })
  return hook(db)
}

async function drain(): Promise<void> {
  // Take whatever earlier tests left, so the next poll starts with an empty queue (acks not needed:
  // a message the agent holds does not count as waiting until it is due again).
  await pollAgentQueue({ ...t.deps, bus }, shop.license.id, 0)
}

describe('agent queue long-poll', () => {
  it('a delivery committed between the poll\'s first read and its wait ends the wait (signal, not re-check)', { timeout: 20_000 }, async () => {
    await drain()
    let committed = ''
    const deps: Deps = { ...t.deps, bus, db: afterFirstRead(t.db, async () => {
      committed = await commitDelivery()
    }) }
    const queue = await pollAgentQueue(deps, shop.license.id, 30, undefined, NO_RECHECK)
    expect(committed).not.toBe('')
    expect(JSON.stringify(queue)).toContain(committed)
  })

  it('a delivery committed between two polls is returned by the next poll at once', { timeout: 20_000 }, async () => {
    await drain()
    const committed = await commitDelivery()
    const queue = await pollAgentQueue({ ...t.deps, bus }, shop.license.id, 30, undefined, NO_RECHECK)
    expect(JSON.stringify(queue)).toContain(committed)
  })
})
