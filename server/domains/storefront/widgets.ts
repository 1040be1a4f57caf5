import { and, desc, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm'
import { storeTransactions } from '../../db/schema'
import type { PublicStoreView } from '../../../shared/contracts/storefront'
import { RECENT_PURCHASES_MAX } from '../../../shared/contracts/limits'
import type { Deps } from '../../platform/deps'
import type { OpenStore } from './storefront'
import { PAID_STATUSES } from '../../../shared/contracts/enums'

// The storefront's optional widgets: the monthly goal bar and the latest purchases. Both read paid
// orders only (paid, delivered, or paid but failed to deliver); nothing about a buyer beyond
// the player name they bought under.

const PAID = PAID_STATUSES

type Widgets = PublicStoreView['widgets']

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
}

export async function storeWidgets(deps: Deps, store: OpenStore): Promise<Widgets> {
  const licenseId = store.license.id
  const goalCents = store.config.monthlyGoalCents
  let goal: Widgets['goal'] = null
  if (goalCents !== null) {
    const [row] = await deps.db.select({ total: sql<number>`coalesce(sum(${storeTransactions.amountCents}), 0)::int` }).from(storeTransactions)
      .where(and(eq(storeTransactions.licenseId, licenseId), inArray(storeTransactions.status, [...PAID]), gte(storeTransactions.paidAt, monthStart(deps.clock.now()))))
    goal = { goal_cents: goalCents, progress_cents: row?.total ?? 0 }
  }
  let recent: Widgets['recent_purchases'] = null
  if (store.config.showRecentPurchases) {
    const rows = await deps.db.select({ playerName: storeTransactions.playerName, itemName: storeTransactions.itemName, paidAt: storeTransactions.paidAt }).from(storeTransactions)
      .where(and(eq(storeTransactions.licenseId, licenseId), inArray(storeTransactions.status, [...PAID]), isNotNull(storeTransactions.paidAt)))
      .orderBy(desc(storeTransactions.paidAt))
      .limit(RECENT_PURCHASES_MAX)
    recent = rows.map(r => ({ player_name: r.playerName, item_name: r.itemName, at: (r.paidAt ?? deps.clock.now()).toISOString() }))
  }
  return { goal, recent_purchases: recent }
}
