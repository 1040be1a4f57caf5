import { setResponseHeader } from 'h3'

/**
 * Pages get a strict CSP: scripts only from our origin or carrying this response's nonce
 * (Nuxt inlines a small config script). No 'unsafe-eval'. Dev (Vite HMR) is left alone.
 */
export default defineNitroPlugin((nitroApp) => {
  if (import.meta.dev) return
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    const nonce = event.context.cspNonce as string
    const addNonce = (chunk: string) => chunk.replace(/<script\b(?![^>]*\bnonce=)/g, `<script nonce="${nonce}"`)
    html.head = html.head.map(addNonce)
    html.bodyPrepend = html.bodyPrepend.map(addNonce)
    html.body = html.body.map(addNonce)
    html.bodyAppend = html.bodyAppend.map(addNonce)
  })
  nitroApp.hooks.hook('render:response', (_response, { event }) => {
    const nonce = event.context.cspNonce as string
    setResponseHeader(event, 'Content-Security-Policy', [
      `default-src 'self'`,
      `script-src 'self' 'nonce-${nonce}'`,
      `style-src 'self' 'unsafe-inline'`,
      `img-src 'self' https: data:`,
      `connect-src 'self'`,
      `font-src 'self'`,
      `object-src 'none'`,
      `base-uri 'self'`,
      `form-action 'self' https://www.paypal.com https://www.sandbox.paypal.com`,
      `frame-ancestors 'none'`,
    ].join('; '))
  })
})
