import paypal from '@paypal/checkout-server-sdk'
import { sha256Hex } from '../../platform/crypto'
import { httpFailure, malformed, PayPalError, transportFailure } from './errors'

// The only place that talks HTTP to PayPal: the SDK's client, with three of its defaults changed.
// (1) Its access-token cache is process-wide and keyed by `environment.clientId` alone, so each
// environment's `clientId` is a cache identity that also fingerprints the secret and the origin:
// two stores sharing a client id (or a rotated secret, or another base URL) never share a token.
// (2) Every call has a 20 s deadline (the SDK's own timeout is a 30 s socket idle timer).
// (3) A 2xx answer that is not JSON is a failure, not a crash or a string.

export type PayPalMode = 'sandbox' | 'live'

export interface PayPalCredentials {
  clientId: string
  clientSecret: string
  mode: PayPalMode
}

const ORIGINS: Record<PayPalMode, string> = { sandbox: 'https://api-m.sandbox.paypal.com', live: 'https://api-m.paypal.com' }
const WEB_URLS: Record<PayPalMode, string> = { sandbox: 'https://www.sandbox.paypal.com', live: 'https://www.paypal.com' }

export const PAYPAL_TIMEOUT_MS = 20_000

export interface TransportOptions {
  /** `PAYPAL_API_BASE`: an origin (the SDK ignores any path); PayPal's own by mode when unset. */
  apiBase?: string | undefined
  timeoutMs?: number
}

class StoreEnvironment extends paypal.core.PayPalEnvironment {
  private readonly appClientId: string

  constructor(credentials: PayPalCredentials, origin: string) {
    // A hash, never the secret itself, so the cache key holds nothing worth stealing.
    const identity = `${credentials.clientId}|${sha256Hex(`${origin}\n${credentials.clientSecret}`)}`
    super(identity, credentials.clientSecret, origin, WEB_URLS[credentials.mode])
    this.appClientId = credentials.clientId
  }

  override authorizationString(): string {
    return `Basic ${Buffer.from(`${this.appClientId}:${this.clientSecret}`, 'utf8').toString('base64')}`
  }
}

/** A JSON text sent byte for byte (webhook verification embeds PayPal's event verbatim). */
export class VerbatimJson {
  constructor(readonly text: string) {}
}

const UNREADABLE = Symbol('unreadable PayPal answer')

/** Serialises as the SDK does (JSON, form) plus VerbatimJson; reads JSON answers only, never throws. */
class Encoder implements paypal.Encoder {
  constructor(private readonly sdk: paypal.Encoder) {}

  serializeRequest(request: paypal.HttpRequest): string | Buffer {
    return request.body instanceof VerbatimJson ? request.body.text : this.sdk.serializeRequest(request)
  }

  // The SDK calls this inside a socket event handler: a throw there would be an uncaught exception.
  deserializeResponse(body: string, headers: Record<string, string>): unknown {
    if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) return UNREADABLE
    try {
      return JSON.parse(body) as unknown
    }
    catch {
      return UNREADABLE
    }
  }
}

class StoreHttpClient extends paypal.core.PayPalHttpClient {
  constructor(environment: StoreEnvironment, private readonly timeoutMs: number) {
    super(environment)
    this.encoder = new Encoder(this.encoder)
  }

  override getTimeout(): number {
    return this.timeoutMs
  }
}

export interface PayPalTransport {
  /** Runs one call; resolves to the parsed JSON answer (undefined when empty), else throws PayPalError. */
  execute(request: paypal.HttpRequest): Promise<unknown>
}

function toPayPalError(error: unknown): PayPalError {
  if (error instanceof PayPalError) return error
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode
  // paypalhttp's HttpError carries the response body as its message.
  if (typeof statusCode === 'number') return httpFailure(statusCode, (error as Error).message ?? '')
  return transportFailure(error)
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PayPalError(0, 'TIMEOUT', `PayPal did not answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, deadline])
  }
  finally {
    clearTimeout(timer)
  }
}

export function paypalTransport(credentials: PayPalCredentials, options: TransportOptions = {}): PayPalTransport {
  const origin = (options.apiBase ?? ORIGINS[credentials.mode]).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? PAYPAL_TIMEOUT_MS
  const client = new StoreHttpClient(new StoreEnvironment(credentials, origin), timeoutMs)
  return {
    async execute(request) {
      let response: paypal.HttpResponse
      try {
        response = await withDeadline(client.execute(request), timeoutMs)
      }
      catch (error) {
        throw toPayPalError(error)
      }
      if (response.result === UNREADABLE) throw malformed('with a body that is not JSON')
      return response.result
    },
  }
}

/** A JSON request for a REST path the SDK has no request class for (subscriptions, webhooks). */
export function jsonRequest(verb: paypal.HttpVerb, path: string, body?: unknown, headers: Record<string, string> = {}): paypal.HttpRequest {
  return { verb, path, headers: { 'Content-Type': 'application/json', ...headers }, body: verb === 'GET' ? null : body ?? {} }
}
