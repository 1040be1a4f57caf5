import type { RouteLocationNormalized } from 'vue-router'
import type { PublicItem, PublicStore, PublicTransaction } from '#shared/contracts/storefront'
import { SUBDOMAIN_RE } from '#shared/rules/subdomain'

/** For `definePageMeta({ validate })` of /s/<subdomain>/**: a name that cannot exist is a 404 before anything is fetched. */
export function isStoreRoute(route: RouteLocationNormalized): boolean {
  return SUBDOMAIN_RE.test(String(route.params.subdomain).toLowerCase())
}

/** The storefront's subdomain from the route (case-insensitive, like the API). */
export function useStoreSubdomain(): string {
  return String(useRoute().params.subdomain).toLowerCase()
}

/**
 * One public API answer for a storefront page, `null` when the call fails. Fetched during SSR with a
 * plain `$fetch` (no cookies or other request headers go along, so the rendered page is the same for
 * every visitor), carried in the payload as state and reused while hydrating; a client-side
 * navigation fetches it again. Not `useFetch`: that brings ohash and the asyncData machinery into the
 * players' JavaScript for nothing the storefront uses.
 */
function usePublicStoreData<T>(key: string, url: string): { data: Ref<T | null>, loaded: Promise<void> } {
  const nuxtApp = useNuxtApp()
  const data = useState<T | null>(key, () => null)
  const loaded = nuxtApp.isHydrating && data.value !== null
    ? Promise.resolve()
    : ($fetch<T>(url) as Promise<T>).then((value) => { data.value = value }, () => { data.value = null })
  return { data, loaded }
}

/** The open store, fetched during SSR; a closed or unknown store is the 404 page. */
export async function useOpenStore(subdomain: string): Promise<Ref<PublicStore>> {
  const store = usePublicStoreData<PublicStore>(`store-${subdomain}`, `/api/public-store/${subdomain}`)
  await store.loaded
  if (!store.data.value) throw createError({ statusCode: 404, statusMessage: 'Store not found', fatal: true })
  return store.data as Ref<PublicStore>
}

/** The open store (a 404 page like `useOpenStore`) and its items, fetched in parallel during SSR. */
export async function useOpenStoreWithItems(subdomain: string) {
  const itemList = usePublicStoreData<{ items: PublicItem[] }>(`store-items-${subdomain}`, `/api/public-store/${subdomain}/items`)
  const items = computed(() => itemList.data.value?.items ?? [])
  const [store] = await Promise.all([useOpenStore(subdomain), itemList.loaded])
  return { store, items }
}

/** A purchase of this store as its buyer sees it (return and demo payment pages); unknown is the 404 page. */
export async function useStoreTransaction(subdomain: string, txId: string) {
  const url = `/api/public-store/${subdomain}/transactions/${encodeURIComponent(txId)}`
  const tx = txId ? usePublicStoreData<PublicTransaction>(`store-tx-${txId}`, url) : null
  await tx?.loaded
  if (!tx?.data.value) throw createError({ statusCode: 404, statusMessage: 'Purchase not found', fatal: true })
  return { tx: tx.data as Ref<PublicTransaction>, url }
}
