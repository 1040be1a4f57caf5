import { getRequestHeader } from 'h3'
import { appEnv } from '../platform/env'
import { storefrontSubdomain } from '../http/store-host'

// Storefronts on their own host: `<subdomain>.<STORE_DOMAIN>/...` renders the page of
// `/s/<subdomain>/...` (an internal request, no redirect). API calls and assets pass through.

const PASS_THROUGH = ['/api/', '/_nuxt/', '/s/', '/__nuxt', '/_ipx/', '/favicon']
let storeSuffix: string | undefined

export default defineEventHandler((event) => {
  if (event.method !== 'GET' && event.method !== 'HEAD') return
  storeSuffix ??= `.${appEnv().storeDomain}`
  const subdomain = storefrontSubdomain(getRequestHeader(event, 'host'), storeSuffix)
  if (!subdomain) return
  const [pathname = '/', query] = event.path.split('?', 2)
  if (PASS_THROUGH.some(p => pathname.startsWith(p))) return
  const target = `/s/${subdomain}${pathname === '/' ? '' : pathname}${query ? `?${query}` : ''}`
  // The inner render takes this request's id, so its answer's X-Request-Id and both log lines agree.
  return event.fetch(target, { method: event.method, headers: { 'x-request-id': String(event.context.requestId ?? '') } })
})
