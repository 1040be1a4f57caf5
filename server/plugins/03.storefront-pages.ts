import { getResponseHeader } from 'h3'
import { storefrontCache } from '../domains/storefront/public-cache'

/** Where writes that players could see come from (their answers wait for the barrier). */
const STOREFRONT_WRITERS = ['/api/webstore/', '/api/host/', '/api/public-store/']
/** A POST that writes nothing (a basket's quote, anonymous and unthrottled): no barrier. */
const READS_BY_POST_RE = /^\/api\/public-store\/[^/]+\/quote(?:\?|$)/

/**
 * Keeps a freshly rendered storefront page with the snapshot it was rendered for (marked by
 * server/middleware/storefront-page.ts), unless that store changed meanwhile or the render set a
 * cookie or failed. Its CSP (hashes of its own inline scripts) travels with it.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('render:response', async (response, { event }) => {
    const marked = event.context.storefrontPage
    if (!marked || (response.statusCode ?? 200) !== 200 || typeof response.body !== 'string') return
    if (event.node.res.getHeader('set-cookie') !== undefined) return
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(response.headers ?? {})) {
      if (name.toLowerCase() === 'set-cookie') return
      if (typeof value === 'string') headers[name] = value
    }
    const csp = getResponseHeader(event, 'Content-Security-Policy')
    if (typeof csp === 'string') headers['Content-Security-Policy'] = csp
    const cache = await storefrontCache(await useDeps())
    cache?.keepPage(marked.snapshot, marked.variant, { html: response.body, headers })
  })

  // A change answered by this replica (an owner's edit, a host's action on a license, a purchase or
  // a PayPal webhook): its signals are handled before the answer leaves, so whoever made it never
  // reads the storefront stale. Agents, sign-ins and module installs change nothing players see.
  nitroApp.hooks.hook('beforeResponse', async (event) => {
    if (event.method === 'GET' || event.method === 'HEAD' || event.method === 'OPTIONS') return
    if (!STOREFRONT_WRITERS.some(prefix => event.path.startsWith(prefix)) || READS_BY_POST_RE.test(event.path)) return
    const cache = await storefrontCache(await useDeps())
    await cache?.barrier()
  })
})
