import { getRequestHeader, setResponseHeaders, setResponseStatus } from 'h3'
import { hostCorsHeaders, isHostApiPath } from '../http/host-cors'

/**
 * CORS for the host API: an allowed Origin (HOST_API_CORS_ORIGINS) gets the headers on every
 * response and a 204 preflight; any other origin gets no CORS header at all (the browser then
 * refuses), and its preflight is answered 204 without them.
 */
export default defineEventHandler(async (event) => {
  if (!isHostApiPath(event.path)) return
  const { env } = await useDeps()
  const preflight = event.method === 'OPTIONS'
  const headers = hostCorsHeaders(env.hostApiCorsOrigins, getRequestHeader(event, 'origin'), preflight)
  setResponseHeaders(event, headers)
  if (preflight) {
    setResponseStatus(event, 204)
    return ''
  }
})
