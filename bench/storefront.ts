// The public store as players meet it, on one built server and one database in one run:
// the items API against a bare node:http server answering the same bytes from memory, the
// server-rendered storefront page against that API, and the page's JavaScript (gzip).
import { gzipSync } from 'node:zlib'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createBenchStore, startBenchServer } from './common'
import { load, type LoadResult } from './load'
import { ms, type Row } from './report'

export interface StorefrontOptions {
  seconds: number
  connections: number
}

/** The baseline in its own process: the exact bytes of Cairn's answer, from memory. */
async function bareServer(body: Buffer, contentType: string): Promise<{ url: string, stop: () => void }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bare-items-server.mjs')], {
    env: { ...process.env, BARE_BODY: body.toString('base64'), BARE_CONTENT_TYPE: contentType },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve) => {
    child.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port))
  })
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') }
}

/**
 * What the page makes the browser run before any action: every `<script src>` and `modulepreload`,
 * plus its inline scripts (the storefront's loader among them), each gzip-compressed (default
 * level) and summed. JSON data blocks are data, not code, and are left out.
 */
async function pageJavaScriptBytes(origin: string, html: string): Promise<{ bytes: number, files: number, inline: number }> {
  const urls = new Set<string>()
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.add(m[1]!)
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0])
    if (href) urls.add(href[1]!)
  }
  let bytes = 0
  for (const src of urls) {
    const res = await fetch(new URL(src.replaceAll('&amp;', '&'), origin))
    if (res.status !== 200) throw new Error(`${src}: ${res.status}`)
    bytes += gzipSync(Buffer.from(await res.arrayBuffer())).length
  }
  let inline = 0
  for (const [, attributes = '', body = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bsrc=/.test(attributes) || /\btype="application\/json"/.test(attributes) || !body) continue
    inline += gzipSync(Buffer.from(body)).length
  }
  return { bytes: bytes + inline, files: urls.size, inline }
}

const line = (r: LoadResult) => `${r.rps.toFixed(0)} req/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}${r.errors ? `, ${r.errors} errors` : ''}`

export async function measureStorefront(options: StorefrontOptions): Promise<Row[]> {
  const { seconds, connections } = options
  const bench = await startBenchServer('storefront', { NATS_URL: undefined })
  try {
    const store = await createBenchStore(bench.db, { clientId: 'bench', clientSecret: 'bench', webhookId: null })
    const apiUrl = `${bench.url}/api/public-store/${store.subdomain}/items`
    const pageUrl = `${bench.url}/s/${store.subdomain}`
    const api = await fetch(apiUrl)
    if (api.status !== 200) throw new Error(`items API answered ${api.status}`)
    const bare = await bareServer(Buffer.from(await api.arrayBuffer()), api.headers.get('content-type') ?? 'application/json')
    try {
      const page = await fetch(pageUrl)
      if (page.status !== 200) throw new Error(`storefront page answered ${page.status}`)
      const js = await pageJavaScriptBytes(bench.url, await page.text())
      // The app itself, which the main page loads at a player's first action: what the basket page ships.
      const basketPage = await fetch(`${pageUrl}/basket`)
      const app = await pageJavaScriptBytes(bench.url, await basketPage.text())
      // Warm up (JIT, pools), then measure one after the other in the same run.
      for (const url of [apiUrl, bare.url, pageUrl]) await load(url, connections, Math.min(2, seconds))
      const cairnApi = await load(apiUrl, connections, seconds)
      const baseline = await load(bare.url, connections, seconds)
      const ssr = await load(pageUrl, connections, seconds)
      console.log(`  items API ${line(cairnApi)}; bare ${line(baseline)}; storefront page ${line(ssr)}`)
      const apiRatio = cairnApi.rps / baseline.rps
      const ssrRatio = ssr.rps / cairnApi.rps
      return [
        {
          measure: `public items API vs bare node:http (${connections} conn.)`,
          figure: `${apiRatio.toFixed(2)}× (${cairnApi.rps.toFixed(0)} vs ${baseline.rps.toFixed(0)} req/s), p99 ${ms(cairnApi.p99)}`,
          goal: '≥ 0.30×, p99 ≤ 25 ms',
          pass: apiRatio >= 0.3 && cairnApi.p99 <= 25 && cairnApi.errors === 0,
        },
        {
          measure: 'storefront SSR page vs public items API',
          figure: `${ssrRatio.toFixed(2)}× (${ssr.rps.toFixed(0)} req/s, p50 ${ms(ssr.p50)}, p99 ${ms(ssr.p99)})`,
          goal: '≥ 0.5×',
          pass: ssrRatio >= 0.5 && ssr.errors === 0,
        },
        {
          measure: 'storefront JavaScript before the first action (scripts, modulepreloads, inline; gzip)',
          figure: `${(js.bytes / 1000).toFixed(1)} kB before any action (${js.files} files, ${(js.inline / 1000).toFixed(1)} kB inline); the app loaded at the first action: ${(app.bytes / 1000).toFixed(1)} kB`,
          goal: '≤ 60 kB',
          pass: js.bytes <= 60_000,
        },
      ]
    }
    finally {
      bare.stop()
    }
  }
  finally {
    await bench.close()
  }
}
