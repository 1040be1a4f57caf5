import type { StoreCategory, StoreItem } from '#shared/contracts/webstore'

/**
 * The owner's categories and items (GET /api/webstore/categories and /items), for the scope picker of
 * the coupon and sale forms. Empty lists while loading or when the load fails (the picker then offers
 * nothing to select, which keeps the coupon/sale's existing scope).
 */
export async function useScopeOptions() {
  const api = useApi()
  const { data } = await useAsyncData('webstore-scope-options', async () => {
    const [categories, items] = await Promise.all([
      api<{ categories: StoreCategory[] }>('/api/webstore/categories'),
      api<{ items: StoreItem[] }>('/api/webstore/items'),
    ])
    return { categories: categories.categories, items: items.items }
  })
  return {
    categories: computed(() => data.value?.categories ?? []),
    items: computed(() => data.value?.items ?? []),
  }
}
