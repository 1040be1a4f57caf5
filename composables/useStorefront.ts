import type { RouteLocationNormalized } from 'vue-router'
import type { PublicStore } from '#shared/contracts/storefront'
import { SUBDOMAIN_RE } from '#shared/rules/subdomain'

/** For `definePageMeta({ validate })` of /s/<subdomain>/**: a name that cannot exist is a 404 before anything is fetched. */
export function isStoreRoute(route: RouteLocationNormalized): boolean {
  return SUBDOMAIN_RE.test(String(route.params.subdomain).toLowerCase())
}

/** The storefront's subdomain from the route (case-insensitive, like the API). */
export function useStoreSubdomain(): string {
  return String(useRoute().params.subdomain).toLowerCase()
}

/** The open store, fetched during SSR; a closed or unknown store is the 404 page. */
export async function useOpenStore(subdomain: string) {
  const { data } = await useFetch<PublicStore>(`/api/public-store/${subdomain}`, { key: `store-${subdomain}` })
  if (!data.value) throw createError({ statusCode: 404, statusMessage: 'Store not found', fatal: true })
  return data as Ref<PublicStore>
}
