import { deferAppEntry } from '../http/storefront-entry'

/** The storefront's main page loads the app on the first action only (server/http/storefront-entry.ts). Before 02.csp, which hashes the loader. */
const STOREFRONT_INDEX_RE = /^\/s\/([a-z0-9-]+)\/?(?:\?|$)/i

export default defineNitroPlugin((nitroApp) => {
  if (import.meta.dev) return
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    const match = STOREFRONT_INDEX_RE.exec(event.path)
    if (match) deferAppEntry(html, match[1]!.toLowerCase())
  })
})
