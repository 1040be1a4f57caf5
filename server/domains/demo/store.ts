import { storeCategories, storeConfig, storeItems, storeTransactions, webstoreSubscriptions, type StoreCommand } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { sealPaypalSecret } from '../webstore/config'

const DAY = 24 * 60 * 60 * 1000

interface DemoItem {
  category: 'ranks' | 'kits'
  name: string
  description: string
  priceCents: number
  commands: StoreCommand[]
  purchaseLimit?: number
  stock?: number
}

const DEMO_ITEMS: DemoItem[] = [
  {
    category: 'ranks',
    name: 'VIP rank (30 days)',
    description: 'Coloured name in chat, /hat and /nick, and a monthly VIP crate key.',
    priceCents: 499,
    commands: [
      { command: 'lp user {player} parent addtemp vip 30d', require_online: false },
      { command: 'broadcast &6{player} just became a VIP!', require_online: false },
    ],
  },
  {
    category: 'ranks',
    name: 'MVP rank (lifetime)',
    description: 'Everything in VIP, forever, plus /fly in the lobby and two extra homes.',
    priceCents: 1999,
    commands: [
      { command: 'lp user {uuid} parent add mvp', require_online: false },
      { command: 'broadcast &b{player} is now an MVP. Thank you!', require_online: false },
    ],
    purchaseLimit: 1,
  },
  {
    category: 'kits',
    name: 'Starter kit',
    description: 'Iron tools, a stack of bread and a bed, delivered to your inventory.',
    priceCents: 299,
    commands: [
      { command: 'give {player} iron_pickaxe 1', require_online: true },
      { command: 'give {player} iron_sword 1', require_online: true },
      { command: 'give {player} bread 64', require_online: true },
    ],
  },
  {
    category: 'kits',
    name: 'Diamond bundle',
    description: 'Sixteen diamonds per bundle. Limited run this season.',
    priceCents: 799,
    commands: [{ command: 'give {player} diamond 16', require_online: true }],
    stock: 100,
  },
]

/**
 * The embedded demo store: configured, enabled (an ACTIVE subscription row, sandbox PayPal
 * placeholders) and filled with a small catalog, so `/s/demo` works right after the first start.
 * Runs inside the first-start seed's transaction.
 */
export async function seedWebstoreDemo(deps: Deps, licenseId: string): Promise<void> {
  const { db } = deps
  const now = deps.clock.now()
  await db.insert(storeConfig).values({
    licenseId,
    name: 'Example Network Store',
    description: 'Ranks and kits for play.example.net. Purchases are delivered in game within a minute.',
    currency: 'USD',
    paypalClientId: 'demo-sandbox-client-id',
    paypalClientSecretSealed: sealPaypalSecret(deps, licenseId, 'demo-sandbox-client-secret'),
    paypalMode: 'sandbox',
    enabled: true,
  })
  await db.insert(webstoreSubscriptions).values({
    licenseId,
    status: 'ACTIVE',
    paypalSubscriptionId: 'I-DEMO00000000',
    planId: 'P-DEMO00000000',
    currentPeriodEnd: new Date(now.getTime() + 30 * DAY),
  })
  const [ranks, kits] = await db.insert(storeCategories).values([
    { licenseId, name: 'Ranks', description: 'Perks that last.', sortOrder: 0 },
    { licenseId, name: 'Kits', description: 'Items delivered straight to your inventory.', sortOrder: 1 },
  ]).returning()
  if (!ranks || !kits) throw new Error('demo categories insert returned nothing')
  const items = await db.insert(storeItems).values(DEMO_ITEMS.map((item, index) => ({
    licenseId,
    categoryId: item.category === 'ranks' ? ranks.id : kits.id,
    name: item.name,
    description: item.description,
    priceCents: item.priceCents,
    commands: item.commands,
    purchaseLimit: item.purchaseLimit ?? null,
    stock: item.stock ?? null,
    sortOrder: index,
  }))).returning()
  const [vip, , starter] = items
  if (!vip || !starter) throw new Error('demo items insert returned nothing')
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
      paypalMode: 'sandbox' as const,
      paypalOrderId: `DEMO-ORDER-${player.toUpperCase()}-${daysAgo}`,
      createdAt: at,
      updatedAt: at,
      paidAt: at,
      deliveredAt: status === 'delivered' ? new Date(at.getTime() + 20_000) : null,
    }
  }
  await db.insert(storeTransactions).values([
    sale(vip, 'Steve', 'delivered', 3),
    sale(starter, 'Alex', 'delivered', 2),
    sale(starter, 'Notch', 'refunded', 1),
  ])
}
