import { z } from 'zod'
import { errorSchema } from '../../../shared/contracts/errors'
import { retryAfterHeader } from '../../../shared/contracts/http'
import { describeBytes, MAX_BODY_BYTES } from '../../../shared/contracts/limits'

// Builds the OpenAPI document from the operations each API area lists (server/http/openapi/*).
// Every request and response schema comes from shared/contracts: requests are rendered as their
// input side, responses as their output side, so the document cannot drift from the code.

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type SecurityScheme = 'hostApiKey' | 'userSession' | 'companionToken'

export interface HeaderParameter {
  name: string
  description: string
  schema: z.ZodType
}

export interface ResponseSpec {
  description: string
  /** JSON body; omit for empty bodies (204) and for errors, which answer the shared Error body. */
  schema?: z.ZodType
  /** Other media types (e.g. text/csv) with an example. */
  content?: Record<string, { schema: z.ZodType, example?: string }>
  headers?: Record<string, { description: string, schema: z.ZodType }>
}

export interface OperationSpec {
  method: HttpMethod
  /** OpenAPI path template, e.g. `/api/host/licenses/{license_id}`. */
  path: string
  operationId: string
  summary: string
  description?: string
  tags: string[]
  security?: SecurityScheme[]
  /** Path parameters: each property is one (its description comes from the schema's meta). */
  params?: z.ZodObject
  /** Query parameters: each property is one. */
  query?: z.ZodObject
  headers?: HeaderParameter[]
  /** `mediaType` defaults to application/json (an upload names multipart/form-data). */
  body?: { schema: z.ZodType, description?: string, examples?: Record<string, unknown>, mediaType?: string }
  responses: Record<number, ResponseSpec>
}

type OperationDetails = Omit<OperationSpec, 'method' | 'path' | 'operationId' | 'summary' | 'tags' | 'security' | 'headers'>
  & Partial<Pick<OperationSpec, 'headers'>>

/**
 * One API area's operations share tags, security and header parameters:
 * `area.get(path, operationId, summary, { responses })`.
 */
export function apiArea(defaults: { tags: string[], security?: SecurityScheme, headers?: HeaderParameter[] }) {
  const operation = (method: HttpMethod) => (path: string, operationId: string, summary: string, details: OperationDetails): OperationSpec => ({
    method,
    path,
    operationId,
    summary,
    tags: defaults.tags,
    ...(defaults.security ? { security: [defaults.security] } : {}),
    ...(defaults.headers ? { headers: defaults.headers } : {}),
    ...details,
  })
  return { get: operation('get'), post: operation('post'), put: operation('put'), patch: operation('patch'), delete: operation('delete') }
}

export const rateLimited = (description: string): ResponseSpec => ({
  description,
  headers: { 'Retry-After': { description: 'Seconds to wait', schema: retryAfterHeader } },
})

type JsonSchema = Record<string, unknown>

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    // Responses: a named format (date-time, email, uuid) says it all, and an integer needs no
    // safe-integer bounds; zod's long regexes and ±2^53 only add noise there.
    override: ({ jsonSchema: s }) => {
      if (io !== 'output') return
      if (s.format && s.pattern) delete s.pattern
      if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum
      if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum
    },
  }) as JsonSchema
  return rest
}

const ERROR_REF = { $ref: '#/components/schemas/Error' }

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid input; `data.issues` names each offending field',
  401: 'Missing, malformed, unknown or rotated-out credentials',
  403: 'Authenticated but not allowed (e.g. a suspended host)',
  404: 'Not found, or belongs to another tenant',
  409: 'Conflicts with the current state',
  413: `The JSON body is over ${describeBytes(MAX_BODY_BYTES)} (\`data.max_bytes\`)`,
  429: 'Rate limited; retry after `Retry-After` seconds',
}

/** Which standard errors an operation can answer without listing them itself. */
function appliesTo(op: OperationSpec, status: number): boolean {
  const secured = (op.security?.length ?? 0) > 0
  const input = op.body !== undefined || op.query !== undefined || op.params !== undefined
  if (status === 401 || status === 403 || status === 429) return secured
  if (status === 413) return op.body !== undefined
  // Input errors and unknown ids need input or a tenant (X-License-Id); state conflicts need either too.
  if (status === 400 || status === 404 || status === 409) return secured || input
  return true
}

function responseObject(status: number, r: ResponseSpec): JsonSchema {
  const content: JsonSchema = {}
  if (r.schema) content['application/json'] = { schema: jsonSchema(r.schema, 'output') }
  else if (status >= 400 && !r.content) content['application/json'] = { schema: ERROR_REF }
  for (const [type, media] of Object.entries(r.content ?? {})) {
    content[type] = { schema: jsonSchema(media.schema, 'output'), ...(media.example === undefined ? {} : { example: media.example }) }
  }
  const headers = r.headers
    ? Object.fromEntries(Object.entries(r.headers).map(([name, h]) => [name, { description: h.description, schema: jsonSchema(h.schema, 'output') }]))
    : undefined
  return {
    description: r.description,
    ...(headers ? { headers } : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  }
}

function parameters(op: OperationSpec): JsonSchema[] {
  const fromObject = (where: 'path' | 'query', object: z.ZodObject | undefined) => Object.entries(object?.shape ?? {}).map(([name, field]) => {
    const schema = field as z.ZodType
    const description = schema.meta()?.description
    return {
      name,
      in: where,
      required: where === 'path' || !schema.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: jsonSchema(schema, 'input'),
    }
  })
  return [
    ...fromObject('path', op.params),
    ...(op.headers ?? []).map(h => ({ name: h.name, in: 'header', required: false, description: h.description, schema: jsonSchema(h.schema, 'input') })),
    ...fromObject('query', op.query),
  ]
}

function operationObject(op: OperationSpec): JsonSchema {
  const responses: JsonSchema = {}
  for (const [status, r] of Object.entries(op.responses)) responses[status] = responseObject(Number(status), r)
  for (const [status, description] of Object.entries(STANDARD_ERRORS)) {
    if (responses[status] || !appliesTo(op, Number(status))) continue
    responses[status] = responseObject(Number(status), status === '429' ? rateLimited(description) : { description })
  }
  const params = parameters(op)
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: op.tags,
    ...(op.security ? { security: op.security.map(s => ({ [s]: [] })) } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            ...(op.body.description ? { description: op.body.description } : {}),
            content: {
              [op.body.mediaType ?? 'application/json']: {
                schema: jsonSchema(op.body.schema, 'input'),
                ...(op.body.examples ? { examples: Object.fromEntries(Object.entries(op.body.examples).map(([k, v]) => [k, { value: v }])) } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  }
}

/** The OpenAPI 3.1 document of `operations`. */
export function buildOpenApiDocument(operations: readonly OperationSpec[], options: { serverUrl: string, version?: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const ops = [...operations].sort((a, b) => a.path.localeCompare(b.path))
  for (const op of ops) {
    paths[op.path] ??= {}
    const item = paths[op.path]
    if (item) item[op.method] = operationObject(op)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cairn API',
      version: options.version ?? '1',
      description: 'Cairn HTTP API. Host integration guide: docs/host-api.md.',
    },
    servers: [{ url: options.serverUrl }],
    tags: [...new Set(ops.flatMap(o => o.tags))].map(name => ({ name })),
    paths,
    components: {
      securitySchemes: {
        hostApiKey: { type: 'http', scheme: 'bearer', description: 'Host API key `cairn_host_...` (from `host:create`)' },
        userSession: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Owner session token (or the cairn_session cookie)' },
        companionToken: { type: 'http', scheme: 'bearer', description: 'Companion agent token `cairn_agent_...`' },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
  }
}
