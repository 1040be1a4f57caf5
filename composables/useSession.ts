import type { MeResponse } from '#shared/contracts/auth'
import type { OwnedLicense } from '#shared/contracts/licenses'

/** The signed-in owner (null when signed out), shared between SSR and the client. */
export function useSession() {
  const me = useState<MeResponse | null>('me', () => null)
  const loaded = useState<boolean>('me-loaded', () => false)
  const selectedCookie = useCookie<string | null>('cairn_license', { sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 })
  const requestFetch = useRequestFetch()

  async function refresh(): Promise<MeResponse | null> {
    try {
      me.value = await requestFetch<MeResponse>('/api/auth/me')
    }
    catch {
      me.value = null
    }
    loaded.value = true
    return me.value
  }

  const licenses = computed(() => me.value?.licenses ?? [])
  /** The license the panel acts on: the remembered choice if still ours, else the first usable one. */
  const license = computed<OwnedLicense | null>(() => {
    const all = licenses.value
    return all.find(l => l.license_id === selectedCookie.value)
      ?? all.find(l => l.status !== 'revoked')
      ?? all[0]
      ?? null
  })

  function selectLicense(id: string) {
    selectedCookie.value = id
  }

  async function signOut() {
    await $fetch('/api/auth/logout', { method: 'POST' }).catch(() => {})
    me.value = null
    await navigateTo('/login')
  }

  return { me, loaded, licenses, license, refresh, selectLicense, signOut }
}
