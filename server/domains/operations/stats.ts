import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import { agentHeartbeats, deliveries, storeConfig, storeItems, storeTransactionLines, storeTransactions } from '../../db/schema'
import { STATS_TOP_ITEMS } from '../../../shared/contracts/limits'
import type { Stats } from '../../../shared/contracts/operations'
import type { Deps } from '../../platform/deps'
import { PAID_STATUSES } from '../../../shared/contracts/enums'

// The owner dashboard's numbers, aggregated by PostgreSQL. Days are UTC days; the window ends
// today (by the injected clock) and every day of it is listed, zeros included.

const DAY_MS = 86_400_000
/** Money that stayed: a purchase whose delivery ran or is running (failed deliveries were paid). */
const KEPT = PAID_STATUSES
const RETURNED = ['refunded', 'reversed'] as const

/** The UTC midnights of the window: `days` entries, the last one today. */
function windowDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10))
}

export async function storeStats(deps: Deps, licenseId: string, days: number): Promise<Stats> {
  const dates = windowDays(deps.clock.now(), days)
  const start = new Date(`${dates[0]}T00:00:00Z`)
  const end = new Date(new Date(`${dates.at(-1)}T00:00:00Z`).getTime() + DAY_MS)
  const inWindow = and(
    eq(storeTransactions.licenseId, licenseId),
    eq(storeTransactions.source, 'purchase'),
    gte(storeTransactions.paidAt, start),
    lt(storeTransactions.paidAt, end),
  )
  const day = sql<string>`to_char(${storeTransactions.paidAt} at time zone 'UTC', 'YYYY-MM-DD')`
  const kept = inArray(storeTransactions.status, [...KEPT])

  const [byDay, [returned], top, outbox, [config], [agent]] = await Promise.all([
    deps.db.select({ date: day, revenue: sql<number>`coalesce(sum(${storeTransactions.amountCents}), 0)::int`, orders: sql<number>`count(*)::int` })
      .from(storeTransactions).where(and(inWindow, kept)).groupBy(day),
    deps.db.select({ cents: sql<number>`coalesce(sum(${storeTransactions.amountCents}), 0)::int` })
      .from(storeTransactions).where(and(inWindow, inArray(storeTransactions.status, [...RETURNED]))),
    deps.db.select({
      itemId: storeTransactionLines.itemId,
      name: sql<string>`max(${storeItems.name})`,
      revenue: sql<number>`sum(${storeTransactionLines.lineCents} - ${storeTransactionLines.discountCents})::int`,
      orders: sql<number>`count(distinct ${storeTransactionLines.transactionId})::int`,
    }).from(storeTransactionLines)
      .innerJoin(storeTransactions, eq(storeTransactions.id, storeTransactionLines.transactionId))
      .innerJoin(storeItems, eq(storeItems.id, storeTransactionLines.itemId))
      .where(and(inWindow, inArray(storeTransactions.status, [...KEPT])))
      .groupBy(storeTransactionLines.itemId)
      .orderBy(desc(sql`3`), storeTransactionLines.itemId)
      .limit(STATS_TOP_ITEMS),
    deps.db.select({
      pending: sql<number>`count(*) filter (where ${deliveries.status} in ('pending', 'sent'))::int`,
      failed: sql<number>`count(*) filter (where ${deliveries.status} = 'failed')::int`,
    }).from(deliveries).where(and(eq(deliveries.licenseId, licenseId), eq(deliveries.kind, 'delivery'))),
    deps.db.select({ currency: storeConfig.currency }).from(storeConfig).where(eq(storeConfig.licenseId, licenseId)),
    deps.db.select({ lastSeenAt: agentHeartbeats.lastSeenAt, version: agentHeartbeats.version }).from(agentHeartbeats).where(eq(agentHeartbeats.licenseId, licenseId)),
  ])

  const found = new Map(byDay.map(r => [r.date, r]))
  const series = dates.map(date => ({ date, revenue_cents: found.get(date)?.revenue ?? 0, orders: found.get(date)?.orders ?? 0 }))
  return {
    currency: config?.currency ?? 'USD',
    days: series,
    totals: {
      revenue_cents: series.reduce((sum, d) => sum + d.revenue_cents, 0),
      orders: series.reduce((sum, d) => sum + d.orders, 0),
      refunded_cents: returned?.cents ?? 0,
    },
    top_items: top.map(r => ({ item_id: r.itemId, name: r.name, revenue_cents: r.revenue, orders: r.orders })),
    deliveries: { pending: outbox[0]?.pending ?? 0, failed: outbox[0]?.failed ?? 0 },
    agent: { last_seen_at: agent?.lastSeenAt.toISOString() ?? null, version: agent?.version ?? null },
  }
}
