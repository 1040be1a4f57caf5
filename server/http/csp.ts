import { createHash } from 'node:crypto'

// Pages carry a strict CSP without per-response nonces, so a rendered page can be served again
// from memory: scripts come from our origin, or are inline scripts whose SHA-256 is listed. A
// hash admits those exact bytes and nothing else, which is as strict as a nonce and stays true
// for every copy of the same HTML.

const INLINE_SCRIPT_RE = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi
const EXECUTABLE_TYPE_RE = /\btype\s*=\s*["']?(?:module|text\/javascript|application\/javascript)["']?/i

/** `'sha256-…'` of every inline script the browser would run (JSON data blocks and src= scripts excluded). */
export function inlineScriptHashes(chunks: readonly string[]): string[] {
  const hashes = new Set<string>()
  for (const chunk of chunks) {
    for (const [, attributes = '', body = ''] of chunk.matchAll(INLINE_SCRIPT_RE)) {
      if (/\bsrc\s*=/i.test(attributes)) continue
      if (/\btype\s*=/i.test(attributes) && !EXECUTABLE_TYPE_RE.test(attributes)) continue
      hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`)
    }
  }
  return [...hashes]
}

export function pageCsp(scriptHashes: readonly string[]): string {
  return [
    `default-src 'self'`,
    `script-src 'self'${scriptHashes.map(h => ` ${h}`).join('')}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' https: data:`,
    `connect-src 'self'`,
    `font-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self' https://www.paypal.com https://www.sandbox.paypal.com`,
    `frame-ancestors 'none'`,
  ].join('; ')
}
