import { and, eq, gt, sql } from 'drizzle-orm'
import { storeSales } from '../../db/schema'
import type { PublicItem, PublicStoreView } from '../../../shared/contracts/storefront'
import type { Deps } from '../../platform/deps'
import { findOpenStore, getPublicStore, listPublicItems, type OpenStore } from './storefront'

// One open store as players read it at one instant, serialized once: what the storefront cache
// (public-cache.ts) keeps, and until when it stays true on its own.

/** However quiet the signals, a snapshot is read again after this long. */
const MAX_AGE_MS = 30_000

export interface CachedPage {
  html: string
  headers: Record<string, string>
}

export interface StoreSnapshot {
  readonly subdomain: string
  readonly licenseId: string
  readonly storeJson: string
  readonly items: PublicItem[]
  readonly itemsJson: string
  readonly validUntil: number
  /** False once a change signal (or expiry) retired it: nothing derived from it may be stored. */
  live: boolean
  /** Rendered pages of this snapshot, by path variant. */
  readonly pages: Map<string, CachedPage>
  readonly byCategory: Map<string, string>
}

/** The first sale start or end after `now` (prices change then), if any. */
async function nextSaleBoundary(deps: Deps, licenseId: string, now: Date): Promise<Date | null> {
  const [row] = await deps.db.select({
    // A raw sql`` parameter is not mapped by the column: pass the instant as text.
    at: sql<Date | string | null>`min(case when ${storeSales.startsAt} > ${now.toISOString()}::timestamptz then ${storeSales.startsAt} else ${storeSales.endsAt} end)`,
  }).from(storeSales).where(and(eq(storeSales.licenseId, licenseId), gt(storeSales.endsAt, now)))
  return row?.at ? new Date(row.at) : null
}

function nextMonth(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
}

export async function loadSnapshot(deps: Deps, subdomain: string): Promise<StoreSnapshot> {
  const store = await findOpenStore(deps, subdomain)
  const now = deps.clock.now()
  const [view, items, boundary] = await Promise.all([
    getPublicStore(deps, store),
    listPublicItems(deps, store),
    nextSaleBoundary(deps, store.license.id, now),
  ])
  let validUntil = now.getTime() + MAX_AGE_MS
  if (boundary) validUntil = Math.min(validUntil, boundary.getTime())
  if (view.widgets.goal) validUntil = Math.min(validUntil, nextMonth(now))
  return snapshotOf(subdomain, store, view, items, validUntil)
}

function snapshotOf(subdomain: string, store: OpenStore, view: PublicStoreView, items: PublicItem[], validUntil: number): StoreSnapshot {
  return {
    subdomain,
    licenseId: store.license.id,
    storeJson: JSON.stringify(view),
    items,
    itemsJson: JSON.stringify({ items }),
    validUntil,
    live: true,
    pages: new Map(),
    byCategory: new Map(),
  }
}

