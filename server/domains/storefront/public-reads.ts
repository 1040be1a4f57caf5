import type { Deps } from '../../platform/deps'
import { storefrontCache } from './public-cache'
import { findOpenStore, getPublicStore, listPublicItems } from './storefront'

// The public store's GET answers, serialized: from the replica's cache when it is trusted, else
// straight from the database (the same bytes either way).

/** GET /api/public-store/:subdomain, serialized. */
export async function publicStoreJson(deps: Deps, subdomain: string): Promise<string> {
  const cache = await storefrontCache(deps)
  if (!cache?.active) {
    const store = await findOpenStore(deps, subdomain)
    return JSON.stringify(await getPublicStore(deps, store))
  }
  return (await cache.snapshot(deps, subdomain)).storeJson
}

/** GET /api/public-store/:subdomain/items, serialized (optionally one category). */
export async function publicItemsJson(deps: Deps, subdomain: string, categoryId?: string): Promise<string> {
  const cache = await storefrontCache(deps)
  if (!cache?.active) {
    const store = await findOpenStore(deps, subdomain)
    return JSON.stringify({ items: await listPublicItems(deps, store, categoryId) })
  }
  const snapshot = await cache.snapshot(deps, subdomain)
  if (!categoryId) return snapshot.itemsJson
  let json = snapshot.byCategory.get(categoryId)
  if (json === undefined) {
    json = JSON.stringify({ items: snapshot.items.filter(i => i.category_id === categoryId) })
    // Only real categories are kept: random ids must not grow the map.
    if (snapshot.items.some(i => i.category_id === categoryId)) snapshot.byCategory.set(categoryId, json)
  }
  return json
}
