import type { StoreConfig, StoreConfigInput } from '#shared/contracts/webstore'

/**
 * The selected server's webstore settings (GET /api/webstore/config, `null` until set up), shared by
 * every component that asks, and `save` (PUT) with its busy/error/`missing` state.
 */
export async function useStoreConfig() {
  const api = useApi()
  const load = useAsyncData('webstore-config', () => api<{ config: StoreConfig | null }>('/api/webstore/config'))
  const config = computed<StoreConfig | null>(() => load.data.value?.config ?? null)
  const save = useApiAction(
    (body: StoreConfigInput) => api<{ config: StoreConfig }>('/api/webstore/config', { method: 'PUT', body }),
    {
      fallback: 'Saving failed. Check your connection and try again.',
      missingMessage: 'Your store cannot open yet. Still missing:',
      onSuccess: (res) => {
        load.data.value = res
      },
    },
  )
  await load
  /** True only for the first load (a refresh keeps showing what is there). */
  const loading = computed(() => load.status.value === 'pending' && !load.data.value)
  return { config, loading, error: load.error, refresh: load.refresh, save }
}
