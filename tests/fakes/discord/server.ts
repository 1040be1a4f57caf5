import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

// A stand-in for Discord's execute-webhook endpoint, speaking its wire format:
// POST /api/webhooks/<id>/<token> with a JSON body → 204 (or 200 with ?wait=true), a rate limit
// → 429 { message, retry_after (seconds, float), global } with Retry-After, unknown webhook → 404
// { message: 'Unknown Webhook', code: 10015 }. Tests script failures with `failNext`.

export interface DiscordMessage {
  webhookId: string
  token: string
  body: Record<string, unknown>
}

export interface FakeDiscord {
  url: string
  readonly messages: DiscordMessage[]
  /** Every request, answered or not (attempts). */
  readonly attempts: number
  /** The next `count` requests answer `status` (429 carries retry_after `retryAfter` seconds). */
  failNext(count: number, status: 429 | 500 | 404, retryAfter?: number): void
  close(): Promise<void>
}

const PATH = /^\/api\/webhooks\/(\d+)\/([A-Za-z0-9_-]+)$/

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const messages: DiscordMessage[] = []
  const failures: Array<{ status: number, retryAfter: number }> = []
  let attempts = 0
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://discord.test')
      const match = PATH.exec(url.pathname)
      const raw = await readBody(req)
      if (req.method !== 'POST' || !match) return json(res, 404, { message: '404: Not Found', code: 0 })
      attempts++
      const failure = failures.shift()
      if (failure?.status === 429) return json(res, 429, { message: 'You are being rate limited.', retry_after: failure.retryAfter, global: false }, { 'retry-after': String(Math.ceil(failure.retryAfter)) })
      if (failure?.status === 404) return json(res, 404, { message: 'Unknown Webhook', code: 10015 })
      if (failure) return json(res, failure.status, { message: 'Internal Server Error', code: 0 })
      let body: Record<string, unknown>
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      }
      catch {
        return json(res, 400, { message: 'Cannot send an empty message', code: 50006 })
      }
      if (!Array.isArray(body.embeds) && typeof body.content !== 'string') return json(res, 400, { message: 'Cannot send an empty message', code: 50006 })
      messages.push({ webhookId: match[1]!, token: match[2]!, body })
      if (url.searchParams.get('wait') === 'true') return json(res, 200, { id: String(messages.length), ...body })
      res.writeHead(204)
      res.end()
    })()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    get attempts() {
      return attempts
    },
    failNext(count, status, retryAfter = 0.25) {
      for (let i = 0; i < count; i++) failures.push({ status, retryAfter })
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}
