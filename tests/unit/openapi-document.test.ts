import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { apiDocument, apiOperations } from '../../server/http/openapi'
import { itemInputSchema } from '../../shared/contracts/webstore'
import { licenseSchema } from '../../shared/contracts/licenses'

// The OpenAPI document as generated from shared/contracts: every operation documents its success
// body and its errors with a schema, the areas keep their status codes, and the operation lists
// under server/http/openapi define no schema of their own.

type Media = Record<string, { schema?: Record<string, unknown> }>
interface Response { description: string, content?: Media, headers?: Record<string, unknown> }
interface Operation { security?: Record<string, unknown>[], requestBody?: { content: Media }, responses: Record<string, Response> }

const doc = apiDocument('https://panel.example.com') as { paths: Record<string, Record<string, Operation>> }
const operation = (method: string, path: string): Operation => {
  const op = doc.paths[path]?.[method]
  if (!op) throw new Error(`no ${method.toUpperCase()} ${path}`)
  return op
}
const jsonSchemaOf = (response: Response | undefined) => response?.content?.['application/json']?.schema
const ERROR = { $ref: '#/components/schemas/Error' }
const OPENAPI_DIR = join(import.meta.dirname, '../../server/http/openapi')

describe('OpenAPI document: every operation has schemas', () => {
  const all = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })))

  it('lists every operation once', () => {
    expect(all).toHaveLength(apiOperations.length)
  })

  it('documents a success body schema for every operation that answers one', () => {
    for (const { where, op } of all) {
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'))
      expect(success.length, where).toBeGreaterThan(0)
      for (const [status, response] of success) {
        if (status === '204') expect(response.content, where).toBeUndefined()
        // JSON, or the one media type of a file download (an image, a module).
        else expect(jsonSchemaOf(response) ?? Object.values(response?.content ?? {})[0]?.schema, `${where} ${status}`).toBeDefined()
      }
    }
  })

  it('gives every error a JSON schema: the shared Error body unless the operation names its own', () => {
    for (const { where, op } of all) {
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => Number(s) >= 400)) {
        expect(jsonSchemaOf(response), `${where} ${status}`).toBeDefined()
      }
    }
    const install = operation('post', '/api/modules/install').responses
    for (const status of ['400', '404', '409', '413']) expect(jsonSchemaOf(install[status]), status).toEqual(ERROR)
    expect(jsonSchemaOf(operation('post', '/api/webstore/subscription/create').responses['409'])).toEqual(ERROR)
    expect(jsonSchemaOf(operation('post', '/api/webstore/subscription/webhook').responses['503'])).toEqual(ERROR)
    expect(jsonSchemaOf(install['202'])).not.toEqual(ERROR)
    expect(jsonSchemaOf(operation('put', '/api/webstore/config').responses['400'])).toMatchObject({ properties: { data: { properties: { missing: expect.any(Object) } } } })
  })

  it('renders response schemas from the contracts, strict (no field beyond those listed)', () => {
    const license = jsonSchemaOf(operation('get', '/api/host/licenses/{license_id}').responses['200'])
    expect(license).toMatchObject({ additionalProperties: false, title: 'License' })
    expect(Object.keys((license as { properties: object }).properties)).toEqual(Object.keys(licenseSchema.shape))
    const transactions = jsonSchemaOf(operation('get', '/api/webstore/transactions').responses['200']) as { properties: { transactions: { items: { properties: { status: unknown } } } } }
    expect(transactions.properties.transactions.items.properties.status).toMatchObject({ enum: ['pending', 'paid', 'delivered', 'failed', 'refunded', 'reversed', 'expired'] })
  })

  it('renders request bodies as the input side of the contract the route validates with', () => {
    const { $schema: _ignored, ...expected } = z.toJSONSchema(itemInputSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })
    expect(operation('post', '/api/webstore/items').requestBody?.content['application/json']?.schema).toEqual(expected)
  })

  it('defines no schema in the operation lists: they only name contract schemas', () => {
    const files = readdirSync(OPENAPI_DIR).filter(f => f.endsWith('.ts') && f !== 'registry.ts')
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) {
      const source = readFileSync(join(OPENAPI_DIR, file), 'utf8')
      expect(source, file).not.toMatch(/from 'zod'/)
      expect(source, file).not.toMatch(/\bz\.\w+\(/)
    }
  })
})

describe('OpenAPI document: status codes and security per area', () => {
  const statuses = (method: string, path: string) => Object.keys(operation(method, path).responses)

  it('modules: install answers 200/202 and its errors, all behind the owner session', () => {
    expect(statuses('post', '/api/modules/install')).toEqual(expect.arrayContaining(['200', '202', '400', '401', '404', '409']))
    expect(operation('post', '/api/modules/install').requestBody).toBeDefined()
    expect(operation('get', '/api/modules').security).toEqual([{ userSession: [] }])
    expect(operation('get', '/api/modules/installs/{id}')).toBeDefined()
  })

  it('webstore subscription: create, cancel and the unauthenticated webhook with their 409s and 503s', () => {
    expect(statuses('post', '/api/webstore/subscription/create')).toEqual(expect.arrayContaining(['201', '409', '503']))
    expect(statuses('post', '/api/webstore/subscription/cancel')).toEqual(expect.arrayContaining(['200', '409', '503']))
    expect(operation('get', '/api/webstore/subscription')).toBeDefined()
    const webhook = operation('post', '/api/webstore/subscription/webhook')
    expect(webhook.security).toBeUndefined()
    expect(Object.keys(webhook.responses)).toEqual(expect.arrayContaining(['200', '400', '503']))
  })

  it('rate limits and body sizes: 429 with Retry-After where a limit applies, 413 where a body is read', () => {
    for (const [method, path] of [['post', '/api/auth/login'], ['post', '/api/public-store/{subdomain}/purchase'], ['get', '/api/host/licenses']] as const) {
      expect(operation(method, path).responses['429']?.headers, path).toHaveProperty('Retry-After')
    }
    expect(statuses('post', '/api/host/provision')).toContain('413')
    expect(statuses('get', '/api/host/licenses')).not.toContain('413')
  })
})
