import paypal from '@paypal/checkout-server-sdk'
import { sha256Hex } from '../crypto'
import { readEnv } from '../env'

// The only place that builds PayPal REST clients. The SDK is deprecated by PayPal but lets us
// choose the base URL, so `PAYPAL_API_BASE` can point every call at a proxy or a local fake.

export type PayPalMode = 'sandbox' | 'live'

export interface PayPalCredentials {
  clientId: string
  clientSecret: string
  mode: PayPalMode
}

const BASES: Record<PayPalMode, { api: string, web: string }> = {
  sandbox: { api: 'https://api-m.sandbox.paypal.com', web: 'https://www.sandbox.paypal.com' },
  live: { api: 'https://api-m.paypal.com', web: 'https://www.paypal.com' },
}

export function paypalApiBase(mode: PayPalMode): string {
  return (readEnv('PAYPAL_API_BASE') ?? BASES[mode].api).replace(/\/+$/, '')
}

/** A PayPal answer that was not 2xx, reduced to what callers branch on. Never carries secrets. */
export class PayPalError extends Error {
  constructor(readonly statusCode: number, readonly errorName: string, readonly issue: string | undefined, message: string) {
    super(message)
    this.name = 'PayPalError'
  }
}

type SdkClient = InstanceType<typeof paypal.core.PayPalHttpClient>
const clients = new Map<string, SdkClient>()

/**
 * One SDK client per (base URL, client id, secret). The SDK caches access tokens per client id
 * process-wide, so a changed secret still needs its own client object (keyed by the secret's hash).
 */
function clientFor(credentials: PayPalCredentials): SdkClient {
  const base = paypalApiBase(credentials.mode)
  const key = `${base}|${credentials.clientId}|${sha256Hex(credentials.clientSecret)}`
  let client = clients.get(key)
  if (!client) {
    const environment = new paypal.core.PayPalEnvironment(credentials.clientId, credentials.clientSecret, base, BASES[credentials.mode].web)
    client = new paypal.core.PayPalHttpClient(environment)
    clients.set(key, client)
  }
  return client
}

export interface PayPalCall {
  path: string
  verb: 'GET' | 'POST' | 'PATCH'
  body?: unknown
  headers?: Record<string, string>
}

/** Runs one REST call; non-2xx answers and transport failures become `PayPalError`. */
export async function paypalExecute<T>(credentials: PayPalCredentials, request: PayPalCall): Promise<{ statusCode: number, result: T | undefined }> {
  try {
    const response = await clientFor(credentials).execute<T>({
      path: request.path,
      verb: request.verb,
      headers: { 'Content-Type': 'application/json', ...request.headers },
      // The SDK only serialises a body when one is set; POSTs without one still need `{}`.
      body: request.body ?? (request.verb === 'GET' ? undefined : {}),
    })
    return { statusCode: response.statusCode, result: response.result }
  }
  catch (error) {
    throw toPayPalError(error)
  }
}

function toPayPalError(error: unknown): PayPalError {
  const statusCode = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 0
  const text = error instanceof Error ? error.message : String(error)
  let name = statusCode ? `HTTP_${statusCode}` : 'TRANSPORT_ERROR'
  let issue: string | undefined
  try {
    const body = JSON.parse(text) as { name?: unknown, error?: unknown, details?: Array<{ issue?: unknown }> }
    if (typeof body.name === 'string') name = body.name
    else if (typeof body.error === 'string') name = body.error
    const first = body.details?.[0]?.issue
    if (typeof first === 'string') issue = first
  }
  catch { /* not JSON: a network error or an HTML page */ }
  // The message names the failure only; PayPal bodies may echo request data, so they are not kept.
  return new PayPalError(statusCode, name, issue, `PayPal ${statusCode || 'unreachable'}: ${name}${issue ? ` (${issue})` : ''}`)
}
