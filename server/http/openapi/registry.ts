import { z } from 'zod'

// A small registry from which GET /api/openapi.json is built. Each area of the API describes
// its operations with the same zod schemas its routes validate with, and registers them once
// (see server/api/openapi.json.get.ts); request schemas are rendered as their input side.

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type SecurityScheme = 'hostApiKey' | 'userSession' | 'companionToken'

export interface ParameterSpec {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  description?: string
  schema: z.ZodType
}

export interface ResponseSpec {
  description: string
  /** JSON body schema; omit for empty bodies. */
  schema?: z.ZodType
  /** Extra media types with a plain example (e.g. text/csv). */
  content?: Record<string, { example?: string, schema?: Record<string, unknown> }>
  headers?: Record<string, { description: string, schema: Record<string, unknown> }>
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
  parameters?: ParameterSpec[]
  /** A query object schema: each property becomes a query parameter. */
  query?: z.ZodObject
  body?: { schema: z.ZodType, description?: string, examples?: Record<string, unknown> }
  responses: Record<number, ResponseSpec>
}

const registry = new Map<string, OperationSpec>()
let cached: Record<string, unknown> | undefined

/** Adds operations; registering the same method + path again replaces it (safe on hot reload). */
export function registerOperations(operations: readonly OperationSpec[]): void {
  for (const op of operations) registry.set(`${op.method} ${op.path}`, op)
  cached = undefined
}

export function registeredOperations(): OperationSpec[] {
  return [...registry.values()]
}

type JsonSchema = Record<string, unknown>

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema
  return rest
}

export const errorSchema = z.object({
  statusCode: z.number().int(),
  message: z.string(),
  data: z.object({
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }).catchall(z.unknown()).optional(),
}).meta({ description: 'Every error: the status code, a readable message and, for 400, the offending fields.' })

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid input; `data.issues` names each offending field',
  401: 'Missing, malformed, unknown or rotated-out credentials',
  403: 'Authenticated but not allowed (e.g. a suspended host)',
  404: 'Not found, or belongs to another tenant',
  409: 'Conflicts with the current state',
  429: 'Rate limited; retry after `Retry-After` seconds',
}

function operationObject(op: OperationSpec): JsonSchema {
  const parameters = [
    ...(op.parameters ?? []).map(p => ({
      name: p.name,
      in: p.in,
      required: p.in === 'path' ? true : p.required ?? false,
      ...(p.description ? { description: p.description } : {}),
      schema: jsonSchema(p.schema, 'input'),
    })),
    ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => {
      const s = schema as z.ZodType
      return { name, in: 'query', required: !s.safeParse(undefined).success, schema: jsonSchema(s, 'input') }
    }),
  ]
  const responses: JsonSchema = {}
  for (const [status, r] of Object.entries(op.responses)) {
    const content: JsonSchema = {}
    if (r.schema) content['application/json'] = { schema: jsonSchema(r.schema, 'output') }
    // An error without its own schema answers the shared error shape (server/http/error-handler.ts).
    else if (Number(status) >= 400 && !r.content) content['application/json'] = { schema: { $ref: '#/components/schemas/Error' } }
    for (const [type, media] of Object.entries(r.content ?? {})) content[type] = media
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: r.headers } : {}),
      ...(Object.keys(content).length > 0 ? { content } : {}),
    }
  }
  for (const [status, description] of Object.entries(STANDARD_ERRORS)) {
    if (responses[status]) continue
    if (status === '401' || status === '403' || status === '429') {
      if (!op.security?.length) continue
    }
    responses[status] = {
      description,
      ...(status === '429' ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    }
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: op.tags,
    ...(op.security ? { security: op.security.map(s => ({ [s]: [] })) } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            ...(op.body.description ? { description: op.body.description } : {}),
            content: {
              'application/json': {
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

/** The OpenAPI 3.1 document for everything registered so far. */
export function openApiDocument(options: { serverUrl: string, version?: string }): Record<string, unknown> {
  if (cached) return cached
  const paths: Record<string, Record<string, unknown>> = {}
  const ops = registeredOperations().sort((a, b) => a.path.localeCompare(b.path))
  for (const op of ops) {
    paths[op.path] ??= {}
    const item = paths[op.path]
    if (item) item[op.method] = operationObject(op)
  }
  cached = {
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
  return cached
}
