import { setResponseHeader, type H3Event } from 'h3'

/**
 * Answers with JSON that is already serialized (kept in memory): h3 sends a string as it is,
 * so only the content type is set. Typed as the value it encodes, so `$fetch` and the OpenAPI
 * contract keep seeing the response's real shape.
 */
export function jsonText<T>(event: H3Event, json: string): T {
  setResponseHeader(event, 'Content-Type', 'application/json')
  return json as unknown as T
}
