import { and, asc, eq, exists, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { licenses, storeCategories, storeConfig, storeItems, webstoreSubscriptions, type License, type StoreCategoryRow, type StoreConfigRow, type StoreItemRow } from '../../db/schema'
import type { Currency } from '../../../shared/contracts/enums'
import type { PublicItem, PublicStoreView } from '../../../shared/contracts/storefront'
import { SUBDOMAIN_RE } from '../../../shared/rules/subdomain'
import { NotFound } from '../../platform/errors'
import type { Deps } from '../../platform/deps'
import { priceOf, runningSales, type ItemPrice } from './pricing'
import { storeWidgets } from './widgets'

// What players see: a store is open when its license is active, the owner enabled it and the
// webstore subscription is ACTIVE. Anything else answers 404, without saying which rule failed.

export interface OpenStore {
  license: License
  config: StoreConfigRow
}

// The storefront's hot path runs as prepared statements: built once per database handle, planned
// once by PostgreSQL (the items benchmark showed query building + re-planning dominating).
function openStoreQuery(db: Db) {
  return db.select({ license: licenses, config: storeConfig }).from(licenses)
    .innerJoin(storeConfig, eq(storeConfig.licenseId, licenses.id))
    .where(and(
      eq(licenses.subdomain, sql.placeholder('subdomain')),
      eq(licenses.status, 'active'),
      eq(storeConfig.enabled, true),
      exists(db.select({ one: webstoreSubscriptions.id }).from(webstoreSubscriptions)
        .where(and(eq(webstoreSubscriptions.licenseId, licenses.id), eq(webstoreSubscriptions.status, 'ACTIVE')))),
    ))
    .limit(1)
    .prepare('cairn_open_store')
}

function publicItemsQuery(db: Db) {
  return db.select({
    id: storeItems.id,
    categoryId: storeItems.categoryId,
    name: storeItems.name,
    description: storeItems.description,
    priceCents: storeItems.priceCents,
    imageUrl: storeItems.imageUrl,
    purchaseLimit: storeItems.purchaseLimit,
    stock: storeItems.stock,
  }).from(storeItems)
    .where(and(eq(storeItems.licenseId, sql.placeholder('licenseId')), eq(storeItems.enabled, true), isNull(storeItems.deletedAt)))
    .orderBy(asc(storeItems.sortOrder), asc(storeItems.name), asc(storeItems.id))
    .prepare('cairn_public_items')
}

const prepared = new WeakMap<Db, { openStore: ReturnType<typeof openStoreQuery>, items: ReturnType<typeof publicItemsQuery> }>()
function queries(db: Db) {
  let q = prepared.get(db)
  if (!q) {
    q = { openStore: openStoreQuery(db), items: publicItemsQuery(db) }
    prepared.set(db, q)
  }
  return q
}

/** The open store at `subdomain`, in one query (license, config and subscription). */
export async function findOpenStore(deps: Deps, subdomain: string): Promise<OpenStore> {
  const slug = subdomain.toLowerCase()
  if (!SUBDOMAIN_RE.test(slug)) throw new NotFound('Store')
  const [row] = await queries(deps.db).openStore.execute({ subdomain: slug })
  if (!row) throw new NotFound('Store')
  return row
}

/** The store behind a webhook: any existing store, open or not (payments made earlier still settle). */
export async function findStoreForWebhook(deps: Deps, subdomain: string): Promise<OpenStore> {
  const slug = subdomain.toLowerCase()
  if (!SUBDOMAIN_RE.test(slug)) throw new NotFound('Store')
  const [row] = await deps.db.select({ license: licenses, config: storeConfig }).from(licenses)
    .innerJoin(storeConfig, eq(storeConfig.licenseId, licenses.id))
    .where(eq(licenses.subdomain, slug))
    .limit(1)
  if (!row) throw new NotFound('Store')
  return row
}

export async function getPublicStore(deps: Deps, store: OpenStore): Promise<PublicStoreView> {
  const categories = await deps.db.select().from(storeCategories)
    .where(eq(storeCategories.licenseId, store.license.id))
    .orderBy(asc(storeCategories.sortOrder), asc(storeCategories.name), asc(storeCategories.id))
  return presentPublicStore(store, categories, await storeWidgets(deps, store))
}

export function presentPublicStore(store: OpenStore, categories: StoreCategoryRow[], widgets: PublicStoreView['widgets']): PublicStoreView {
  return {
    store: { name: store.config.name, description: store.config.description, currency: store.config.currency, subdomain: store.license.subdomain },
    categories: categories.map(c => ({ id: c.id, name: c.name, description: c.description, sort_order: c.sortOrder })),
    widgets,
  }
}

/**
 * Never exposes commands: the select lists the public columns only. Prices are those of this
 * instant (running sales applied), the same the checkout charges.
 */
export async function listPublicItems(deps: Deps, store: OpenStore, categoryId?: string): Promise<PublicItem[]> {
  const rows = await queries(deps.db).items.execute({ licenseId: store.license.id })
  const sales = await runningSales(deps, store.license.id, deps.clock.now())
  return rows.filter(r => !categoryId || r.categoryId === categoryId).map(r => presentPublicItem(r, store.config.currency, priceOf(r, sales)))
}

export function presentPublicItem(r: Pick<StoreItemRow, 'id' | 'categoryId' | 'name' | 'description' | 'priceCents' | 'imageUrl' | 'purchaseLimit' | 'stock'>, currency: Currency, price: ItemPrice): PublicItem {
  return {
    id: r.id,
    category_id: r.categoryId,
    name: r.name,
    description: r.description,
    price_cents: price.unitCents,
    regular_price_cents: price.regularCents,
    sale: price.sale ? { name: price.sale.name, percent: price.sale.percent, ends_at: price.sale.endsAt.toISOString() } : null,
    currency,
    image_url: r.imageUrl,
    purchase_limit: r.purchaseLimit,
    stock: r.stock,
    in_stock: r.stock === null || r.stock > 0,
  }
}
