import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import { clientAddress, isTrusted, parseTrustProxy } from './trust-proxy'
import { appEnv } from '../platform/env'

let trusted: ReturnType<typeof parseTrustProxy> | null = null
function trustList() {
  if (trusted === null) trusted = parseTrustProxy(appEnv().trustProxy)
  return trusted
}

export function getClientIp(event: H3Event): string {
  const socket = event.node.req.socket.remoteAddress ?? 'unknown'
  return clientAddress(trustList(), socket, getRequestHeader(event, 'x-forwarded-for'))
}

/** https when the socket is TLS, or a trusted proxy says so. */
export function isHttps(event: H3Event): boolean {
  if ((event.node.req.socket as { encrypted?: boolean }).encrypted) return true
  const socket = event.node.req.socket.remoteAddress ?? ''
  const proto = getRequestHeader(event, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
  return proto === 'https' && isTrusted(trustList(), socket)
}

/** The origin this request was addressed to, as a browser would spell it. */
export function requestOrigin(event: H3Event): string | undefined {
  const host = getRequestHeader(event, 'host')
  return host ? `${isHttps(event) ? 'https' : 'http'}://${host}` : undefined
}
