import { createHash } from 'node:crypto'
import { expect } from 'vitest'

/**
 * The page's CSP admits exactly its own inline scripts, by SHA-256, and nothing inline besides:
 * each executable inline script's hash is listed, script-src has no 'unsafe-inline', no
 * 'unsafe-eval' and no nonce, and nothing but 'self' and hashes.
 */
export function expectStrictScriptCsp(html: string, csp: string): void {
  const scriptSrc = csp.split(';').map(d => d.trim()).find(d => d.startsWith('script-src '))
  expect(scriptSrc, 'script-src').toBeDefined()
  const sources = scriptSrc!.split(/\s+/).slice(1)
  for (const source of sources) expect(source).toMatch(/^'self'$|^'sha256-[A-Za-z0-9+/]+=*'$/)
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes = '']) => !/\bsrc=/.test(attributes) && !/\btype="application\/json"/.test(attributes))
  expect(inline.length).toBeGreaterThan(0)
  for (const [, , body = ''] of inline) expect(sources).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`)
}
