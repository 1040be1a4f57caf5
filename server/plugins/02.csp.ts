import { setResponseHeader } from 'h3'
import { inlineScriptHashes, pageCsp } from '../http/csp'

/**
 * Pages get a strict CSP: scripts only from our origin, or inline ones listed by their SHA-256
 * (Nuxt inlines a small config script; the storefront one more). No 'unsafe-eval'. Dev (Vite HMR)
 * is left alone.
 */
export default defineNitroPlugin((nitroApp) => {
  if (import.meta.dev) return
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    event.context.scriptHashes = inlineScriptHashes([...html.head, ...html.bodyPrepend, ...html.body, ...html.bodyAppend])
  })
  nitroApp.hooks.hook('render:response', (_response, { event }) => {
    setResponseHeader(event, 'Content-Security-Policy', pageCsp(event.context.scriptHashes ?? []))
  })
})
