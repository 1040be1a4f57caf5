import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createOwner, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'

// The served OpenAPI document against the code: every route file has an operation, and request
// body schemas agree with what the live server accepts (400 ⇔ the schema says invalid).

const skip = inject('skipReason')
const API_DIR = join(import.meta.dirname, '../../server/api')
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

type JsonSchema = Record<string, unknown>
interface Operation { operationId: string, security?: Record<string, unknown>[], requestBody?: { content: { 'application/json': { schema: JsonSchema } } }, responses: Record<string, unknown> }
interface Document { openapi: string, paths: Record<string, Record<string, Operation>>, components: { securitySchemes: Record<string, unknown> } }

interface RouteFile { file: string, method: string | undefined, path: string }

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

/** Nitro's file-name routing: `[id].put.ts` → PUT `/{id}`, `index.get.ts` → GET of the folder, `[...].ts` → any method below. */
function routeOf(file: string): RouteFile {
  const segments = relative(API_DIR, file).split(sep)
  const parts = segments.pop()!.replace(/\.ts$/, '').split('.')
  const last = parts.at(-1)
  const method = (METHODS as readonly string[]).includes(last ?? '') ? parts.pop() : undefined
  const name = parts.join('.')
  if (name !== 'index') segments.push(name)
  const path = `/api${segments.map(s => `/${s.replace(/^\[\.\.\.(\w*)\]$/, '{...$1}').replace(/^\[(\w+)\]$/, '{$1}')}`).join('')}`.replace(/\/$/, '')
  return { file: relative(API_DIR, file), method, path }
}

function documented(doc: Document, route: RouteFile): boolean {
  const catchAll = route.path.indexOf('/{...')
  const paths = catchAll >= 0
    ? Object.keys(doc.paths).filter(p => p.startsWith(route.path.slice(0, catchAll)))
    : [route.path].filter(p => doc.paths[p])
  return paths.some(p => (route.method ? doc.paths[p]?.[route.method] !== undefined : Object.keys(doc.paths[p] ?? {}).length > 0))
}

/**
 * The JSON Schema (2020-12) keywords zod emits for request bodies, checked the way a client-side
 * validator would; refinements zod cannot express are absent from the document, so are not checked.
 */
function schemaErrors(schema: JsonSchema, value: unknown, path = ''): string[] {
  const at = path || '(root)'
  if (schema.anyOf) {
    const options = schema.anyOf as JsonSchema[]
    return options.some(o => schemaErrors(o, value, path).length === 0) ? [] : [`${at}: matches no anyOf option`]
  }
  if ('const' in schema && value !== schema.const) return [`${at}: must be ${JSON.stringify(schema.const)}`]
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) return [`${at}: not in enum`]
  const type = schema.type as string | undefined
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
  if (type === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return [`${at}: must be an integer`]
  }
  else if (type && type !== kind) return [`${at}: must be ${type}`]
  const errors: string[] = []
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below minimum`)
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above maximum`)
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (typeof schema.minLength === 'number' && length < schema.minLength) errors.push(`${at}: shorter than minLength`)
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) errors.push(`${at}: longer than maxLength`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: does not match pattern`)
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: fewer than minItems`)
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${at}: more than maxItems`)
    if (schema.items) value.forEach((v, i) => errors.push(...schemaErrors(schema.items as JsonSchema, v, `${path}${path ? '.' : ''}${i}`)))
  }
  if (kind === 'object') {
    const object = value as Record<string, unknown>
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!(name in object)) errors.push(`${path}${path ? '.' : ''}${name}: required`)
    }
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
    for (const [name, v] of Object.entries(object)) {
      const sub = properties[name]
      if (sub) errors.push(...schemaErrors(sub, v, `${path}${path ? '.' : ''}${name}`))
      else if (schema.additionalProperties === false) errors.push(`${path}${path ? '.' : ''}${name}: not allowed`)
    }
  }
  return errors
}

describe('OpenAPI: Nitro file-name mapping', () => {
  it('maps route file names to method and path', () => {
    expect(routeOf(join(API_DIR, 'webstore/items/[id].put.ts'))).toMatchObject({ method: 'put', path: '/api/webstore/items/{id}' })
    expect(routeOf(join(API_DIR, 'webstore/items/index.get.ts'))).toMatchObject({ method: 'get', path: '/api/webstore/items' })
    expect(routeOf(join(API_DIR, 'public-store/[subdomain]/index.get.ts'))).toMatchObject({ method: 'get', path: '/api/public-store/{subdomain}' })
    expect(routeOf(join(API_DIR, 'openapi.json.get.ts'))).toMatchObject({ method: 'get', path: '/api/openapi.json' })
    expect(routeOf(join(API_DIR, 'files/[...].ts'))).toMatchObject({ method: undefined, path: '/api/files/{...}' })
    expect(routeOf(join(API_DIR, 'files/[...rest].get.ts'))).toMatchObject({ method: 'get', path: '/api/files/{...rest}' })
  })
})

describe.skipIf(skip)('OpenAPI document', () => {
  let doc: Document
  let owner: Owner
  beforeAll(async () => {
    const res = await call<Document>('/api/openapi.json')
    expect(res.status).toBe(200)
    doc = res.body
    owner = await createOwner(1, 'openapi')
  })

  const operation = (method: string, path: string): Operation => {
    const op = doc.paths[path]?.[method]
    if (!op) throw new Error(`no ${method.toUpperCase()} ${path} in the document`)
    return op
  }
  const bodySchema = (method: string, path: string): JsonSchema => {
    const schema = operation(method, path).requestBody?.content['application/json'].schema
    if (!schema) throw new Error(`no request body for ${method.toUpperCase()} ${path}`)
    return schema
  }

  it('is OpenAPI 3.1 with the three security schemes', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['hostApiKey', 'userSession', 'companionToken']))
  })

  it('has an operation for every route file under server/api', () => {
    const routes = walk(API_DIR).filter(f => !f.endsWith(`${sep}openapi.json.get.ts`)).map(routeOf)
    expect(routes.length).toBeGreaterThan(30)
    const missing = routes.filter(r => !documented(doc, r)).map(r => `${r.method?.toUpperCase() ?? 'ANY'} ${r.path} (${r.file})`)
    expect(missing).toEqual([])
  })

  it('has unique operation ids and the right security per area', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
    const ids = ops.map(o => o.op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const { path, op } of ops) {
      const schemes = (op.security ?? []).flatMap(s => Object.keys(s))
      if (path.startsWith('/api/public-store/') || path === '/api/health' || path === '/api/auth/login' || path === '/api/auth/claim') expect(schemes, path).toEqual([])
      if (path.startsWith('/api/agent/')) expect(schemes, path).toEqual(['companionToken'])
      if (path.startsWith('/api/host/')) expect(schemes, path).toEqual(['hostApiKey'])
      if (path.startsWith('/api/modules') || path === '/api/webstore/config' || path.startsWith('/api/webstore/items') || path.startsWith('/api/webstore/categories')) {
        expect(schemes, path).toEqual(['userSession'])
      }
    }
    expect(Object.keys(operation('get', '/api/webstore/transactions').responses['200'] as object)).toContain('content')
    expect(Object.keys((operation('get', '/api/webstore/transactions').responses['200'] as { content: object }).content)).toEqual(['application/json', 'text/csv'])
  })

  it('login body schema agrees with the live endpoint', async () => {
    const schema = bodySchema('post', '/api/auth/login')
    const email = `nobody-${Date.now()}@example.test`
    const examples: Array<{ body: unknown, valid: boolean }> = [
      { body: { email: owner.email, password: owner.password }, valid: true },
      { body: { email, password: 'wrong password here' }, valid: true },
      { body: { email }, valid: false },
      { body: { email: '', password: 'x' }, valid: false },
      { body: { email: 42, password: 'x' }, valid: false },
      { body: { email: `${'a'.repeat(250)}@x.io`, password: 'x' }, valid: false },
      { body: { email, password: 'p'.repeat(1025) }, valid: false },
    ]
    for (const { body, valid } of examples) {
      const res = await call('/api/auth/login', { body, headers: { 'x-forwarded-for': fakeIp() } })
      expect(schemaErrors(schema, body), JSON.stringify(body).slice(0, 80)).toEqual(valid ? [] : expect.arrayContaining([expect.any(String)]))
      if (valid) expect([200, 401]).toContain(res.status)
      else expect(res.status).toBe(400)
    }
  })

  it('item-create body schema agrees with the live endpoint', async () => {
    const headers = () => ({ 'x-license-id': owner.licenses[0]!.id, 'x-forwarded-for': fakeIp() })
    const category = await call<{ category: { id: string } }>('/api/webstore/categories', { token: owner.token, headers: headers(), body: { name: 'OpenAPI' } })
    expect(category.status).toBe(201)
    const schema = bodySchema('post', '/api/webstore/items')
    const valid = { category_id: category.body.category.id, name: 'VIP', price_cents: 499, commands: [{ command: 'lp user {player} parent add vip' }] }
    const examples: Array<{ body: unknown, valid: boolean }> = [
      { body: valid, valid: true },
      { body: { ...valid, stock: 0, purchase_limit: null, image_url: 'https://cdn.example.net/vip.png', enabled: false }, valid: true },
      { body: { ...valid, price_cents: 0 }, valid: false },
      { body: { ...valid, price_cents: 4.99 }, valid: false },
      { body: { ...valid, price_cents: 1_000_001 }, valid: false },
      { body: { ...valid, commands: [] }, valid: false },
      { body: { ...valid, commands: [{ command: 'x'.repeat(501) }] }, valid: false },
      { body: { ...valid, name: undefined }, valid: false },
      { body: { ...valid, stock: -1 }, valid: false },
      { body: { ...valid, enabled: 'yes' }, valid: false },
    ]
    for (const { body, valid: ok } of examples) {
      const sent = JSON.parse(JSON.stringify(body)) as unknown
      const res = await call('/api/webstore/items', { token: owner.token, headers: headers(), body: sent })
      expect(schemaErrors(schema, sent), JSON.stringify(sent).slice(0, 120)).toEqual(ok ? [] : expect.arrayContaining([expect.any(String)]))
      expect(res.status, JSON.stringify(sent).slice(0, 120)).toBe(ok ? 201 : 400)
    }
  })

  it('documents the owner error shape and the X-License-Id header', () => {
    const put = operation('put', '/api/webstore/config')
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']))
    const params = (operation('get', '/api/webstore/items') as unknown as { parameters: Array<{ name: string, in: string }> }).parameters
    expect(params).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'X-License-Id', in: 'header' }), expect.objectContaining({ name: 'category_id', in: 'query' })]))
    expect(operation('delete', '/api/webstore/categories/{id}').responses['409']).toBeDefined()
    expect(operation('post', '/api/public-store/{subdomain}/purchase').responses['429']).toBeDefined()
  })
})
