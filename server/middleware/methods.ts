import { handlers } from '#nitro-internal-virtual/server-handlers'
import { setResponseHeader, setResponseStatus } from 'h3'
import { MethodNotAllowed } from '../platform/errors'
import { RouteMethods } from '../http/route-methods'

// Runs after host-cors.ts (file order), so host API preflights keep their CORS handling there.
// For /api/** paths that exist: HEAD is served by the GET handler (Node drops the body), OPTIONS
// answers 204 with Allow, and any other method the path does not take is a 405 with Allow.
// Paths that match no route fall through to the usual JSON 404.

let table: RouteMethods | undefined

export default defineEventHandler((event) => {
  if (!event.path.startsWith('/api/')) return
  table ??= new RouteMethods(handlers)
  const allowed = table.allowed(event.path)
  if (allowed === 'any' || allowed.length === 0) return
  const method = event.method
  if (allowed.includes(method) && method !== 'HEAD') return
  if (method === 'HEAD') {
    // The router matches on the method; the response to a HEAD request never carries a body.
    event.node.req.method = 'GET'
    event._method = 'GET'
    return
  }
  if (method === 'OPTIONS') {
    setResponseHeader(event, 'Allow', [...allowed, 'OPTIONS'].join(', '))
    setResponseStatus(event, 204)
    return ''
  }
  throw new MethodNotAllowed(method, allowed)
})
