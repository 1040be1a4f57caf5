import type { NitroErrorHandler } from 'nitropack'
import { send, setResponseHeader, setResponseStatus } from 'h3'
import { isDomainError } from '../platform/errors'
import { errorFields, logger } from '../platform/logger'

/**
 * /api/** errors always answer `{ statusCode, message, data? }` as JSON; pages fall through to
 * Nuxt's error page. Unexpected errors become a generic 500 and are logged with the request id.
 */
const apiErrorHandler: NitroErrorHandler = (error, event) => {
  if (!event.path.startsWith('/api/') && event.path !== '/api') return
  const cause: unknown = (error as { cause?: unknown }).cause
  const domain = isDomainError(error) ? error : isDomainError(cause) ? cause : undefined
  let statusCode: number
  let message: string
  let data: unknown
  if (domain) {
    statusCode = domain.statusCode
    message = domain.message
    data = domain.data
    for (const [name, value] of Object.entries(domain.headers)) setResponseHeader(event, name, value)
  }
  else if (!error.unhandled && error.statusCode && error.statusCode < 500) {
    statusCode = error.statusCode
    message = error.statusMessage || error.message
    data = error.data
  }
  else {
    statusCode = error.statusCode && error.statusCode !== 500 ? error.statusCode : 500
    message = statusCode === 503 && !error.unhandled ? error.message : 'Internal server error'
    logger.error('request failed', { request_id: event.context.requestId, method: event.method, path: event.path.split('?')[0], ...errorFields(cause ?? error) })
  }
  setResponseStatus(event, statusCode)
  setResponseHeader(event, 'Content-Type', 'application/json')
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return send(event, JSON.stringify(data === undefined ? { statusCode, message } : { statusCode, message, data }))
}

export default apiErrorHandler
