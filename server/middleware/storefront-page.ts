import { setResponseHeader } from 'h3'
import { storefrontCache } from '../domains/storefront/public-cache'

// The storefront page and the basket page render the same HTML for every visitor (no cookies,
// no per-request state), so each is kept with its store's snapshot and served from memory until
// that store changes. Other storefront paths (return, cancel, demo approval) and any URL with a
// query string render every time. Development renders every time too (templates change under it).

const CACHEABLE_RE = /^\/s\/([a-z0-9-]+)(\/basket)?$/

export default defineEventHandler(async (event) => {
  if (import.meta.dev || (event.method !== 'GET' && event.method !== 'HEAD')) return
  const match = CACHEABLE_RE.exec(event.path)
  if (!match) return
  const deps = await useDeps()
  const cache = await storefrontCache(deps)
  if (!cache?.active) return
  const snapshot = await cache.snapshot(deps, match[1]!).catch(() => undefined)
  if (!snapshot) return // not open: the page renders its 404
  const variant = match[2] ?? '/'
  const page = snapshot.pages.get(variant)
  if (!page) {
    event.context.storefrontPage = { snapshot, variant }
    return
  }
  for (const [name, value] of Object.entries(page.headers)) setResponseHeader(event, name, value)
  return page.html
})
