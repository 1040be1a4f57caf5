// Every PayPal failure becomes one PayPalError, classified here and nowhere else: `transient`
// (PayPal unreachable, too slow, overloaded, or answering nonsense: try again later) or `refused`
// (PayPal understood the request and said no: retrying the same call will not help).

export type PayPalFailureKind = 'transient' | 'refused'

/** Status 0 stands for "no HTTP answer" (network, timeout) or an answer that could not be read. */
export function failureKind(statusCode: number): PayPalFailureKind {
  if (statusCode === 0 || statusCode === 429 || statusCode >= 500) return 'transient'
  return statusCode >= 400 ? 'refused' : 'transient'
}

/** A PayPal call that did not succeed, reduced to what callers branch on. Never carries secrets. */
export class PayPalError extends Error {
  readonly kind: PayPalFailureKind
  /** Every `details[].issue` of PayPal's error body. */
  readonly issues: string[]

  constructor(readonly statusCode: number, readonly errorName: string, message: string, issues: string[] = []) {
    super(message)
    this.name = 'PayPalError'
    this.kind = failureKind(statusCode)
    this.issues = issues
  }

  /** Whether PayPal named `code` as the error's name or one of its detail issues. */
  has(code: string): boolean {
    return this.errorName === code || this.issues.includes(code)
  }
}

/**
 * True when PayPal answered and refused (4xx other than 429). Anything else thrown by a PayPal
 * call — a transient PayPalError or an unexpected error — is "try again later".
 */
export function refusedByPayPal(error: unknown): error is PayPalError {
  return error instanceof PayPalError && error.kind === 'refused'
}

export function malformed(what: string): PayPalError {
  return new PayPalError(0, 'MALFORMED_RESPONSE', `PayPal answered ${what}`)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  }
  catch {
    return undefined
  }
}

/** A non-2xx answer: PayPal's `name` (or OAuth's `error`) and detail issues, never the body itself. */
export function httpFailure(statusCode: number, bodyText: string): PayPalError {
  let name = `HTTP_${statusCode}`
  const issues: string[] = []
  const body = parseJson(bodyText) as { name?: unknown, error?: unknown, details?: unknown } | undefined
  if (body && typeof body === 'object') {
    if (typeof body.name === 'string') name = body.name
    else if (typeof body.error === 'string') name = body.error
    if (Array.isArray(body.details)) {
      for (const d of body.details as Array<{ issue?: unknown }>) if (typeof d?.issue === 'string') issues.push(d.issue)
    }
  }
  // PayPal bodies may echo request data, so the message names the failure only.
  return new PayPalError(statusCode, name, `PayPal ${statusCode}: ${name}${issues.length ? ` (${issues.join(', ')})` : ''}`, issues)
}

export function transportFailure(error: unknown): PayPalError {
  const code = (error as { code?: unknown } | null)?.code
  const what = typeof code === 'string' ? code : error instanceof Error ? error.message.slice(0, 80) : 'unknown error'
  return new PayPalError(0, 'TRANSPORT_ERROR', `PayPal unreachable: ${what}`)
}
