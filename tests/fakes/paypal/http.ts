import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FakeState } from './state'

// A tiny router for the fake: routes are registered by feature files (orders, webhooks, later
// subscriptions) so each stays small and the server file only wires them.

export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  params: string[]
  headers: IncomingMessage['headers']
  rawBody: string
  /** Parsed JSON or form body (undefined when empty or unparsable). */
  body: unknown
  state: FakeState
  baseUrl: string
}

export interface FakeResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Raw text/HTML instead of JSON. */
  text?: string
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>

export interface FakeRoute {
  method: string
  pattern: RegExp
  handler: FakeHandler
}

export function route(method: string, pattern: RegExp, handler: FakeHandler): FakeRoute {
  return { method, pattern, handler }
}

export function paypalError(status: number, name: string, issue?: string, description = name): FakeResponse {
  return {
    status,
    body: {
      name,
      message: description,
      debug_id: Math.random().toString(16).slice(2, 14),
      ...(issue ? { details: [{ issue, description }] } : {}),
    },
  }
}

/** The app behind `Authorization: Bearer <token>`, or a 401 response like PayPal's. */
export function bearerApp(req: FakeRequest): { clientId: string } | FakeResponse {
  const match = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))
  const clientId = match?.[1] ? req.state.tokens.get(match[1]) : undefined
  if (!clientId) {
    req.state.stats.rejectedTokens++
    return { status: 401, body: { error: 'invalid_token', error_description: 'Token signature verification failed' } }
  }
  return { clientId }
}

export function isResponse(value: unknown): value is FakeResponse {
  // Orders have a string `status`; responses a numeric one.
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number'
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw))
  try {
    return JSON.parse(raw)
  }
  catch {
    return undefined
  }
}

export function send(res: ServerResponse, out: FakeResponse): void {
  if (out.text !== undefined) {
    res.writeHead(out.status, { 'content-type': 'text/html; charset=utf-8', ...out.headers })
    res.end(out.text)
    return
  }
  res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers })
  res.end(out.body === undefined ? '' : JSON.stringify(out.body))
}
