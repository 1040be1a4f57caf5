import type { H3Event } from 'h3'
import { getQuery, getRequestHeader, getRouterParams, readRawBody } from 'h3'
import type { z } from 'zod'
import { InvalidInput, PayloadTooLarge, type Issue } from '../platform/errors'
import { parseInput } from '../platform/validation'
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../shared/contracts/limits'
import { RAW_BODY, streamBodyWithLimit } from './body-limit'


/**
 * The request body as text, at most MAX_BODY_BYTES: a larger Content-Length is refused at once,
 * a chunked body as soon as it crosses the limit (h3's readRawBody would buffer any size).
 */
async function readLimitedBody(event: H3Event): Promise<string | undefined> {
  const declared = Number(getRequestHeader(event, 'content-length'))
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES)
  const req = event.node.req as typeof event.node.req & { [RAW_BODY]?: Promise<Buffer> }
  const chunked = /\bchunked\b/i.test(String(req.headers['transfer-encoding'] ?? ''))
  if (!(RAW_BODY in req) && event._requestBody === undefined && !declared && !chunked) return undefined
  if (RAW_BODY in req || event._requestBody !== undefined || !req.readable) {
    const raw = await readRawBody(event, false)
    if (raw && raw.length > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES)
    return raw?.toString('utf8')
  }
  const buffer = await streamBodyWithLimit(req, MAX_BODY_BYTES)
  return buffer.length === 0 ? undefined : buffer.toString('utf8')
}

/**
 * Every string (and key) holding NUL, by path: PostgreSQL text cannot store NUL, so letting one
 * through turns into a 500 wherever the value reaches a query. Refused up front for every body.
 * Iterative, and refuses absurd nesting: JSON.parse accepts depths that would overflow any
 * recursive walk (ours or a schema's) into a 500.
 */
function nulIssues(root: unknown): Issue[] {
  interface Node { value: unknown, key: string, parent: Node | undefined, depth: number }
  // Paths are built only for offending values: building one per node would be quadratic in depth.
  const pathOf = (node: Node): string => {
    const keys: string[] = []
    for (let n: Node | undefined = node; n?.parent; n = n.parent) keys.push(n.key)
    return keys.reverse().join('.')
  }
  const out: Issue[] = []
  const stack: Node[] = [{ value: root, key: '', parent: undefined, depth: 0 }]
  while (stack.length > 0 && out.length < 20) {
    const node = stack.pop()!
    const { value } = node
    if (node.depth > MAX_JSON_DEPTH) return [{ path: '', message: `JSON nesting must be at most ${MAX_JSON_DEPTH} levels deep` }]
    if (typeof value === 'string') {
      if (value.includes('\u0000')) out.push({ path: pathOf(node), message: 'must not contain NUL characters' })
      // A lone UTF-16 surrogate (`"\ud800"` in JSON) is no character at all; PostgreSQL's jsonb refuses it.
      else if (!value.isWellFormed()) out.push({ path: pathOf(node), message: 'must be valid Unicode (a lone surrogate is not)' })
    }
    else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: String(i), parent: node, depth: node.depth + 1 })
    }
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value).reverse()) {
        const child = { value: v, key, parent: node, depth: node.depth + 1 }
        if (key.includes('\u0000')) out.push({ path: pathOf(child), message: 'field names must not contain NUL characters' })
        else if (!key.isWellFormed()) out.push({ path: pathOf(child), message: 'field names must be valid Unicode' })
        else stack.push(child)
      }
    }
  }
  return out
}

function refuseNul(value: unknown): void {
  const issues = nulIssues(value)
  if (issues.length > 0) throw new InvalidInput(issues)
}

/** Parses the JSON body against `schema`: 413 over 1 MB, 400 for malformed JSON or any invalid field. */
export async function readInput<S extends z.ZodType>(event: H3Event, schema: S): Promise<z.output<S>> {
  const raw = await readLimitedBody(event)
  let body: unknown
  if (raw === undefined || raw.trim() === '') body = undefined
  else {
    try {
      body = JSON.parse(raw)
    }
    catch {
      throw new InvalidInput([{ path: '', message: 'request body must be valid JSON' }], 'Request body must be valid JSON')
    }
  }
  if (body === undefined) throw new InvalidInput([{ path: '', message: 'a JSON body is required' }], 'A JSON body is required')
  refuseNul(body)
  return parseInput(schema, body)
}

export function queryInput<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  const query = getQuery(event)
  refuseNul(query)
  return parseInput(schema, query)
}

export function paramsInput<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  return parseInput(schema, getRouterParams(event, { decode: true }))
}
