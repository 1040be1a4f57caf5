import { getRequestHeader, setResponseHeader } from 'h3'
import { loggablePath, logger } from '../platform/logger'
import { getClientIp, isHttps } from '../http/request-info'

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{8,128}$/

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    const incoming = getRequestHeader(event, 'x-request-id')
    event.context.requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : globalThis.crypto.randomUUID()
    event.context.startedAt = performance.now()
    setResponseHeader(event, 'X-Request-Id', event.context.requestId)
    setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
    setResponseHeader(event, 'Referrer-Policy', 'same-origin')
    setResponseHeader(event, 'X-Frame-Options', 'DENY')
    setResponseHeader(event, 'Cross-Origin-Opener-Policy', 'same-origin')
    setResponseHeader(event, 'Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (isHttps(event)) setResponseHeader(event, 'Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    if (event.path.startsWith('/api/')) {
      setResponseHeader(event, 'Content-Security-Policy', `default-src 'none'; frame-ancestors 'none'`)
      setResponseHeader(event, 'Cache-Control', 'no-store')
    }
  })

  nitroApp.hooks.hook('afterResponse', (event) => {
    const started = event.context.startedAt
    logger.info('request', {
      request_id: event.context.requestId,
      method: event.method,
      path: loggablePath(event.path),
      status: event.node.res.statusCode,
      duration_ms: typeof started === 'number' ? Math.round((performance.now() - started) * 10) / 10 : undefined,
      ip: getClientIp(event),
    })
  })
})
