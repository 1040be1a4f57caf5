/** `$fetch` for owner endpoints: sends the selected license as `X-License-Id`. */
export function useApi() {
  const { license } = useSession()
  const requestFetch = useRequestFetch()
  return <T>(url: string, options: Parameters<typeof $fetch>[1] = {}) => {
    const headers = new Headers(options.headers as HeadersInit | undefined)
    if (license.value) headers.set('X-License-Id', license.value.license_id)
    return requestFetch<T>(url, { ...options, headers } as Parameters<typeof $fetch>[1]) as Promise<T>
  }
}
