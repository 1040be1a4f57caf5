import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { inlineScriptHashes } from '../../server/http/csp'
import { deferAppEntry, storefrontLoader } from '../../server/http/storefront-entry'

// What the storefront's main page ships: the rendered chunks lose the app's entry and every hint
// that would make the browser fetch code, and gain the loader, whose hash the CSP then lists.

const head = [
  '<meta charset="utf-8"><link rel="stylesheet" href="/_nuxt/entry.css">',
  '<link rel="modulepreload" as="script" crossorigin href="/_nuxt/A.js"><link rel="modulepreload" as="script" crossorigin href="/_nuxt/B.js">',
  '<script type="module" src="/_nuxt/A.js" crossorigin></script>',
  '<link rel="prefetch" as="script" crossorigin href="/_nuxt/admin.js">',
  '<script data-hid="store-host-path">(function(){})()</script>',
]
const bodyAppend = ['<script type="application/json" id="__NUXT_DATA__">[1]</script><script>window.__NUXT__={}</script>']

describe('deferAppEntry', () => {
  it('takes out the entry, its modulepreloads and prefetches, keeps styles, data and inline scripts, and adds the loader', () => {
    const html = { head: [...head], bodyAppend: [...bodyAppend] }
    expect(deferAppEntry(html, 'mc-example-net')).toBe(true)
    const all = [...html.head, ...html.bodyAppend].join('')
    expect(all).not.toMatch(/modulepreload|prefetch|<script type="module"/)
    expect(all).toContain('rel="stylesheet"')
    expect(all).toContain('id="__NUXT_DATA__"')
    expect(all).toContain('store-host-path')
    const loader = html.bodyAppend.at(-1)!
    expect(loader).toBe(`<script>${storefrontLoader('/_nuxt/A.js', 'mc-example-net')}</script>`)
    expect(loader).toContain('"cairn-basket:mc-example-net"')
    // The CSP admits it by hash, like every inline script of the page.
    const body = loader.slice('<script>'.length, -'</script>'.length)
    expect(inlineScriptHashes([...html.head, ...html.bodyAppend])).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`)
  })

  it('leaves a page without an entry as it was', () => {
    const html = { head: ['<link rel="modulepreload" href="/x.js">'], bodyAppend: [] }
    expect(deferAppEntry(html, 'x')).toBe(false)
    expect(html.head).toEqual(['<link rel="modulepreload" href="/x.js">'])
  })

  it('cannot be closed early by what it embeds', () => {
    expect(storefrontLoader('/_nuxt/</script><script>alert(1)//.js', 'x')).not.toContain('</script>')
  })
})
