import { inject } from 'vitest'

export interface ApiResponse<T = unknown> {
  status: number
  headers: Headers
  body: T
  text: string
}

export interface RequestOptions {
  method?: string
  body?: unknown
  /** Bearer token (session JWT, host API key or companion token). */
  token?: string
  headers?: Record<string, string>
  /** Raw body sent as-is (for malformed-JSON tests). */
  raw?: string
}

/** One HTTP call to the server under test; JSON bodies are parsed when the response is JSON. */
export async function call<T = Record<string, unknown>>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined = options.raw
  if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const res = await fetch(`${inject('baseUrl')}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' })
  const text = await res.text()
  let parsed: unknown = text
  if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text)
  return { status: res.status, headers: res.headers, body: parsed as T, text }
}

/** A distinct client address per caller (the test server trusts X-Forwarded-For from loopback). */
export function fakeIp(): string {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`
}
