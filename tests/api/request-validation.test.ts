import { describe, expect, inject, it } from 'vitest'
import { createHost } from '../../server/domains/hosts/hosts'
import { call, fakeIp } from '../support/http'
import { createOwner, serverDb } from '../support/fixtures'
import { testDeps } from '../support/deps'

// Request bodies and query strings are checked before PostgreSQL or the heap sees them: NUL
// characters (PostgreSQL refuses them in text), nesting depth and size.

type ErrorBody = { statusCode: number, message: string, data?: { issues?: Array<{ path: string, message: string }>, max_bytes?: number } }

const MB = 1024 * 1024

describe.skipIf(inject('skipReason') !== '')('request bodies', () => {
  it('answers NUL in a login email with a 400 naming the field, not a 500', async () => {
    const res = await call<ErrorBody>('/api/auth/login', {
      raw: '{"email":"someone@example.com\\u0000","password":"correct horse battery"}',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp() },
    })
    expect(res.status).toBe(400)
    expect(res.body.data?.issues).toEqual([{ path: 'email', message: 'must not contain NUL characters' }])
  })

  it('refuses NUL anywhere in a body, with the nested path (bulk provisioning, nothing written)', async () => {
    const { db } = await serverDb()
    const { apiKey } = await createHost(testDeps(db), { name: 'NUL host' })
    const res = await call<ErrorBody>('/api/host/provision', {
      token: apiKey,
      headers: { 'x-forwarded-for': fakeIp() },
      body: { servers: [{ server_id: 'ok-1', hostname: 'a.example.net', customer_email: 'a@example.com' }, { server_id: 'ok-2', hostname: 'b.example.net', customer_email: 'b\u0000@example.com' }] },
    })
    expect(res.status).toBe(400)
    expect(res.body.data?.issues?.[0]?.path).toBe('servers.1.customer_email')
    const list = await call<{ licenses: unknown[] }>('/api/host/licenses', { token: apiKey, headers: { 'x-forwarded-for': fakeIp() } })
    expect(list.body.licenses).toEqual([])
  })

  it('survives JSON nested far deeper than the call stack (400, not a 500)', async () => {
    const depth = 300_000
    const res = await call<ErrorBody>('/api/auth/login', {
      raw: `{"email":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)},"password":"x"}`,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp() },
    })
    expect(res.status).toBe(400)
    expect(res.body.data?.issues).toEqual([{ path: '', message: 'JSON nesting must be at most 64 levels deep' }])
  })

  it('refuses a lone UTF-16 surrogate in any string or field name (jsonb refused it with a 500), nothing written', async () => {
    const owner = await createOwner()
    const config = await call<ErrorBody>('/api/webstore/config', { method: 'PUT', token: owner.token, raw: '{"name":"Shop \\ud800"}', headers: { 'content-type': 'application/json' } })
    expect(config.status).toBe(400)
    expect(config.body.data?.issues).toEqual([{ path: 'name', message: 'must be valid Unicode (a lone surrogate is not)' }])
    const category = await call<{ category: { id: string } }>('/api/webstore/categories', { token: owner.token, body: { name: 'Ranks' } })
    const item = await call<ErrorBody>('/api/webstore/items', {
      token: owner.token,
      raw: JSON.stringify({ category_id: category.body.category.id, name: 'VIP', price_cents: 499, commands: [{ command: 'say PLACEHOLDER', require_online: false }] }).replace('PLACEHOLDER', '\\udc00'),
      headers: { 'content-type': 'application/json' },
    })
    expect(item.status).toBe(400)
    expect(item.body.data?.issues).toEqual([{ path: 'commands.0.command', message: 'must be valid Unicode (a lone surrogate is not)' }])
    const key = await call<ErrorBody>('/api/webstore/categories', { token: owner.token, raw: '{"name":"Kits","\\ud800":1}', headers: { 'content-type': 'application/json' } })
    expect(key.status).toBe(400)
    const list = await call<{ items: unknown[] }>('/api/webstore/items', { token: owner.token })
    expect(list.body.items).toEqual([])
    const categories = await call<{ categories: Array<{ name: string }> }>('/api/webstore/categories', { token: owner.token })
    expect(categories.body.categories.map(c => c.name)).toEqual(['Ranks'])
  })

  it('refuses sale and coupon dates outside the years 1–9999 (PostgreSQL refused them with a 500)', async () => {
    const owner = await createOwner()
    for (const [path, body, field] of [
      ['/api/webstore/sales', { name: 'Old', percent: 10, starts_at: '0000-01-01T00:00:00Z', ends_at: '2030-01-01T00:00:00Z' }, 'starts_at'],
      ['/api/webstore/sales', { name: 'Old', percent: 10, starts_at: '0001-01-01T00:00:00+01:00', ends_at: '2030-01-01T00:00:00Z' }, 'starts_at'],
      ['/api/webstore/coupons', { code: 'FAR', kind: 'percent', value: 10, ends_at: '9999-12-31T23:59:59-23:59' }, 'ends_at'],
    ] as const) {
      const res = await call<ErrorBody>(path, { token: owner.token, body })
      expect(res.status).toBe(400)
      expect(res.body.data?.issues).toEqual([{ path: field, message: 'must be between the years 1 and 9999 (UTC)' }])
    }
    expect((await call<{ sales: unknown[] }>('/api/webstore/sales', { token: owner.token })).body.sales).toEqual([])
    expect((await call<{ coupons: unknown[] }>('/api/webstore/coupons', { token: owner.token })).body.coupons).toEqual([])
  })

  it('answers an image width that is not a stored size with 404, however large', async () => {
    for (const width of ['2147483648', '-2147483649', '9007199254740991', '321', 'x']) {
      const res = await call(`/api/images/00000000-0000-4000-8000-000000000000/${width}`)
      expect(res.status).toBe(404)
    }
  })

  it('refuses NUL in an item image_url (the URL parser accepted it; PostgreSQL did not)', async () => {
    const owner = await createOwner()
    const category = await call<{ category: { id: string } }>('/api/webstore/categories', { token: owner.token, body: { name: 'Ranks' } })
    const res = await call<ErrorBody>('/api/webstore/items', {
      token: owner.token,
      body: { category_id: category.body.category.id, name: 'VIP', price_cents: 499, image_url: 'https://img.example/a\u0000.png', commands: [{ command: 'say {player}', require_online: false }] },
    })
    expect(res.status).toBe(400)
    expect(res.body.data?.issues).toEqual([{ path: 'image_url', message: 'must not contain NUL characters' }])
    const list = await call<{ items: unknown[] }>('/api/webstore/items', { token: owner.token })
    expect(list.body.items).toEqual([])
  })

  it('refuses NUL in a query parameter with a 400', async () => {
    const owner = await createOwner()
    const res = await call<ErrorBody>('/api/webstore/transactions?player=a%00b', { token: owner.token })
    expect(res.status).toBe(400)
    expect(res.body.data?.issues?.[0]?.path).toBe('player')
  })

  it('answers a body over 1 MB with 413 and the JSON error shape', async () => {
    const res = await call<ErrorBody>('/api/auth/login', {
      raw: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2 * MB) }),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp() },
    })
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(res.body).toMatchObject({ statusCode: 413, data: { max_bytes: MB } })
  })

  it('stops reading a chunked body (no Content-Length) once it passes 1 MB', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 4 MB of whitespace in total: valid JSON padding, only the size is wrong.
        if (sent >= 4 * MB) controller.close()
        else {
          sent += chunk.length
          controller.enqueue(chunk)
        }
      },
    })
    const res = await fetch(`${inject('baseUrl')}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp() },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' })
    expect(res.status).toBe(413)
    expect((await res.json() as ErrorBody).statusCode).toBe(413)
  })

  it('still parses a large body under the limit', async () => {
    const res = await call<ErrorBody>('/api/auth/login', {
      raw: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(900 * 1024) }),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp() },
    })
    expect(res.status).toBe(400)
    expect(res.body.data?.issues?.[0]?.path).toBe('password')
  })
})
