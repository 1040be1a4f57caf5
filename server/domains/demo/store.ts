import { storeCategories, storeConfig, storeItems, storeTransactions, webstoreSubscriptions, type StoreCommand } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { sealPaypalSecret } from '../webstore/config'
import demo from './demo-store.json'

const DAY = 24 * 60 * 60 * 1000

// The demo catalog is data (demo-store.json), not code: edit it there.
type DemoItem = (typeof demo.items)[number] & { purchaseLimit?: number, stock?: number }

/**
 * The embedded demo store: configured, enabled (an ACTIVE subscription row, the `demo` payment
 * mode: Cairn's own approval page, no PayPal) and filled with a small catalog, so `/s/demo` works right after the first start.
 * Runs inside the first-start seed's transaction.
 */
export async function seedWebstoreDemo(deps: Deps, licenseId: string): Promise<void> {
  const { db } = deps
  const now = deps.clock.now()
  await db.insert(storeConfig).values({
    licenseId,
    name: demo.store.name,
    description: demo.store.description,
    currency: demo.store.currency as 'USD',
    // Production never takes demo payments: there (SEED_DEMO=true on purpose) the store keeps
    // sandbox placeholders, as before the demo mode existed.
    ...(deps.env.production
      ? { paypalMode: 'sandbox' as const, paypalClientId: 'demo-sandbox-client-id', paypalClientSecretSealed: sealPaypalSecret(deps, licenseId, 'demo-sandbox-client-secret') }
      : { paypalMode: 'demo' as const }),
    demoStore: true,
    enabled: true,
  })
  await db.insert(webstoreSubscriptions).values({
    licenseId,
    status: 'ACTIVE',
    paypalSubscriptionId: 'I-DEMO00000000',
    planId: 'P-DEMO00000000',
    currentPeriodEnd: new Date(now.getTime() + 30 * DAY),
  })
  const categories = await db.insert(storeCategories).values(demo.categories.map((c, sortOrder) => ({ licenseId, name: c.name, description: c.description, sortOrder }))).returning()
  const categoryId = new Map(demo.categories.map((c, i) => [c.key, categories[i]?.id]))
  const items = await db.insert(storeItems).values((demo.items as DemoItem[]).map((item, index) => ({
    licenseId,
    categoryId: categoryId.get(item.category) ?? null,
    name: item.name,
    description: item.description,
    priceCents: item.priceCents,
    commands: item.commands as StoreCommand[],
    purchaseLimit: item.purchaseLimit ?? null,
    stock: item.stock ?? null,
    sortOrder: index,
  }))).returning()
  const vip = items[0]
  if (!vip) throw new Error('demo items insert returned nothing')
  // A little history so the transactions page is not empty on first look.
  const sale = (item: typeof vip, player: string, status: 'delivered' | 'refunded', daysAgo: number) => {
    const at = new Date(now.getTime() - daysAgo * DAY)
    return {
      licenseId,
      itemId: item.id,
      itemName: item.name,
      playerName: player,
      quantity: 1,
      unitPriceCents: item.priceCents,
      amountCents: item.priceCents,
      currency: 'USD' as const,
      status,
      paypalMode: deps.env.production ? 'sandbox' as const : 'demo' as const,
      createdAt: at,
      updatedAt: at,
      paidAt: at,
      deliveredAt: status === 'delivered' ? new Date(at.getTime() + 20_000) : null,
    }
  }
  await db.insert(storeTransactions).values(demo.history.map(h => sale(items[h.item] ?? vip, h.player, h.status as 'delivered' | 'refunded', h.daysAgo)))
}
