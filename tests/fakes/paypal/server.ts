import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { authRoutes } from './auth'
import { controlRoutes } from './control'
import { parseBody, paypalError, readBody, send, type FakeRoute } from './http'
import { orderRoutes } from './orders'
import { FakeState } from './state'
import { webhookRoutes } from './webhooks'

/**
 * A local, in-memory PayPal REST API speaking the subset Cairn uses: OAuth2 client credentials,
 * Orders v2, webhook signature verification, and test controls under /__fake. Later features
 * (subscriptions) pass their routes in `extraRoutes`, sharing the same state and auth.
 */
export interface FakePayPal {
  url: string
  state: FakeState
  close(): Promise<void>
}

export async function startFakePayPal(options: { port?: number, extraRoutes?: FakeRoute[] } = {}): Promise<FakePayPal> {
  const state = new FakeState()
  const routes = [...authRoutes, ...orderRoutes, ...webhookRoutes, ...controlRoutes, ...(options.extraRoutes ?? [])]
  let baseUrl = ''
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', baseUrl)
      const rawBody = await readBody(req)
      const method = req.method ?? 'GET'
      const held = state.holds.findIndex(h => url.pathname.startsWith(h.pathPrefix))
      if (held >= 0) {
        const [gate] = state.holds.splice(held, 1)
        gate!.arrived()
        await gate!.released
      }
      const failure = state.failures.find(f => f.remaining > 0 && url.pathname.startsWith(f.pathPrefix))
      if (failure) {
        failure.remaining--
        if (failure.contentType === undefined) send(res, paypalError(failure.status, failure.status === 429 ? 'RATE_LIMIT_REACHED' : 'INTERNAL_SERVER_ERROR'))
        else send(res, { status: failure.status, headers: { 'content-type': failure.contentType }, text: failure.body ?? '' })
        return
      }
      for (const r of routes) {
        const match = r.method === method ? r.pattern.exec(url.pathname) : null
        if (!match) continue
        const out = await r.handler({
          method,
          path: url.pathname,
          query: url.searchParams,
          params: match.slice(1),
          headers: req.headers,
          rawBody,
          body: parseBody(rawBody, req.headers['content-type']),
          state,
          baseUrl,
        })
        send(res, out)
        return
      }
      send(res, { status: 404, body: { name: 'NOT_FOUND', message: `no fake route for ${method} ${url.pathname}` } })
    })().catch((error: unknown) => {
      send(res, { status: 500, body: { name: 'INTERNAL_SERVER_ERROR', message: String(error) } })
    })
  })
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: baseUrl,
    state,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
