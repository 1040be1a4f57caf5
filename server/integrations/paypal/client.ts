import { sha256Hex } from '../../platform/crypto'
import { readEnv } from '../../platform/env'

// The only place that talks HTTP to PayPal. A small fetch client instead of the deprecated
// @paypal/checkout-server-sdk (removed), whose token cache is keyed by client id alone (two stores sharing a
// client id, or a changed secret, reused another app's token), which drops any path prefix of the
// base URL, and which refuses answers without a JSON Content-Type. `PAYPAL_API_BASE` points every
// call (OAuth2 included) at a proxy or a local fake.

export type PayPalMode = 'sandbox' | 'live'

export interface PayPalCredentials {
  clientId: string
  clientSecret: string
  mode: PayPalMode
}

const BASES: Record<PayPalMode, string> = {
  sandbox: 'https://api-m.sandbox.paypal.com',
  live: 'https://api-m.paypal.com',
}

const TIMEOUT_MS = 20_000

export function paypalApiBase(mode: PayPalMode): string {
  return (readEnv('PAYPAL_API_BASE') ?? BASES[mode]).replace(/\/+$/, '')
}

/** A PayPal answer that was not 2xx, reduced to what callers branch on. Never carries secrets. */
export class PayPalError extends Error {
  /** Every `details[].issue` of PayPal's error body (the first is `issue`). */
  readonly issues: string[]
  constructor(readonly statusCode: number, readonly errorName: string, readonly issue: string | undefined, message: string, issues?: string[]) {
    super(message)
    this.name = 'PayPalError'
    this.issues = issues ?? (issue ? [issue] : [])
  }

  /** Whether PayPal named `code` as the error's name or one of its detail issues. */
  has(code: string): boolean {
    return this.errorName === code || this.issues.includes(code)
  }
}

export interface PayPalCall {
  path: string
  verb: 'GET' | 'POST' | 'PATCH'
  body?: unknown
  /** A JSON text sent byte for byte instead of `body` (webhook verification embeds PayPal's event verbatim). */
  rawBody?: string
  headers?: Record<string, string>
}

interface CachedToken { value: string, expiresAt: number }
const tokens = new Map<string, CachedToken>()
const inflight = new Map<string, Promise<CachedToken>>()

/** Tokens are cached per (base URL, client id, secret): another secret never reuses a token. */
function tokenKey(credentials: PayPalCredentials): string {
  return `${paypalApiBase(credentials.mode)}|${credentials.clientId}|${sha256Hex(credentials.clientSecret)}`
}

async function send(url: string, init: RequestInit): Promise<{ status: number, text: string }> {
  let res: Response
  try {
    res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })
  }
  catch (error) {
    throw new PayPalError(0, 'TRANSPORT_ERROR', undefined, `PayPal unreachable: ${(error as Error).name}`)
  }
  let text: string
  try {
    text = await res.text()
  }
  catch (error) {
    throw new PayPalError(0, 'TRANSPORT_ERROR', undefined, `PayPal unreachable: ${(error as Error).name}`)
  }
  return { status: res.status, text }
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined
  try {
    return JSON.parse(text) as unknown
  }
  catch {
    return undefined
  }
}

/** POST /v1/oauth2/token, client credentials over HTTP Basic; concurrent callers share one request. */
async function accessToken(credentials: PayPalCredentials, key: string): Promise<CachedToken> {
  const cached = tokens.get(key)
  if (cached && cached.expiresAt > Date.now()) return cached
  let pending = inflight.get(key)
  if (!pending) {
    pending = (async () => {
      const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64')
      const { status, text } = await send(`${paypalApiBase(credentials.mode)}/v1/oauth2/token`, {
        method: 'POST',
        headers: { 'Authorization': `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' },
        body: 'grant_type=client_credentials',
      })
      if (status < 200 || status > 299) throw toPayPalError(status, text)
      const body = parseJson(text) as { access_token?: unknown, expires_in?: unknown } | undefined
      if (typeof body?.access_token !== 'string' || body.access_token === '') {
        throw new PayPalError(0, 'MALFORMED_RESPONSE', undefined, 'PayPal answered the token request without an access token')
      }
      const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300
      // Renew a minute early (or halfway through a short-lived token).
      const token = { value: body.access_token, expiresAt: Date.now() + Math.max(seconds * 500, seconds * 1000 - 60_000) }
      tokens.set(key, token)
      return token
    })().finally(() => inflight.delete(key))
    inflight.set(key, pending)
  }
  return pending
}

/** Runs one REST call; non-2xx answers and transport failures become `PayPalError`. */
export async function paypalExecute<T>(credentials: PayPalCredentials, request: PayPalCall): Promise<{ statusCode: number, result: T | undefined }> {
  const key = tokenKey(credentials)
  const url = `${paypalApiBase(credentials.mode)}${request.path}`
  const body = request.verb === 'GET' ? undefined : (request.rawBody ?? JSON.stringify(request.body ?? {}))
  for (let attempt = 0; ; attempt++) {
    const token = await accessToken(credentials, key)
    const { status, text } = await send(url, {
      method: request.verb,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', ...request.headers, 'Authorization': `Bearer ${token.value}` },
      body,
    })
    // An expired or revoked token: drop it and try once more with a fresh one.
    if (status === 401 && attempt === 0) {
      if (tokens.get(key) === token) tokens.delete(key)
      continue
    }
    if (status < 200 || status > 299) throw toPayPalError(status, text)
    return { statusCode: status, result: parseJson(text) as T | undefined }
  }
}

function toPayPalError(statusCode: number, text: string): PayPalError {
  let name = `HTTP_${statusCode}`
  const issues: string[] = []
  const body = parseJson(text) as { name?: unknown, error?: unknown, details?: unknown } | undefined
  if (body && typeof body === 'object') {
    if (typeof body.name === 'string') name = body.name
    else if (typeof body.error === 'string') name = body.error
    if (Array.isArray(body.details)) {
      for (const d of body.details as Array<{ issue?: unknown }>) if (typeof d?.issue === 'string') issues.push(d.issue)
    }
  }
  const issue = issues[0]
  // The message names the failure only; PayPal bodies may echo request data, so they are not kept.
  return new PayPalError(statusCode, name, issue, `PayPal ${statusCode}: ${name}${issues.length ? ` (${issues.join(', ')})` : ''}`, issues)
}

/** Forgets cached tokens (tests). */
export function resetPayPalTokens(): void {
  tokens.clear()
}
