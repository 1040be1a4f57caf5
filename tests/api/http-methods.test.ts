import { describe, expect, inject, it } from 'vitest'
import { createHost } from '../../server/domains/hosts/hosts'
import { call, fakeIp } from '../support/http'
import { createOwner, serverDb } from '../support/fixtures'
import { testDeps } from '../support/deps'

// Methods a path does not take: 405 with Allow (never the page renderer's 404, never a 5xx);
// HEAD wherever GET is served; OPTIONS lists the methods.

type ErrorBody = { statusCode: number, message: string }

describe.skipIf(inject('skipReason') !== '')('HTTP methods on API paths', () => {
  it('serves HEAD on GET endpoints (health, owner, host) without a body', async () => {
    const owner = await createOwner()
    const { db } = await serverDb()
    const { apiKey } = await createHost(testDeps(db), { name: 'HEAD host' })
    const health = await call('/api/health', { method: 'HEAD' })
    expect(health.status).toBe(200)
    expect(health.text).toBe('')
    const config = await call('/api/webstore/config', { method: 'HEAD', token: owner.token })
    expect(config.status).toBe(200)
    expect(config.headers.get('content-type')).toContain('application/json')
    const licenses = await call('/api/host/licenses', { method: 'HEAD', token: apiKey, headers: { 'x-forwarded-for': fakeIp() } })
    expect(licenses.status).toBe(200)
    // HEAD still authenticates like GET.
    expect((await call('/api/auth/me', { method: 'HEAD' })).status).toBe(401)
  })

  it('answers a method the path does not take with 405, Allow and the JSON error shape', async () => {
    const owner = await createOwner()
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/api/webstore/config', 'GET, HEAD, PUT'],
      ['POST', '/api/health', 'GET, HEAD'],
      ['GET', '/api/auth/login', 'POST'],
      ['PATCH', '/api/webstore/categories/00000000-0000-4000-8000-000000000000', 'DELETE, PUT'],
      ['PUT', '/api/host/licenses/00000000-0000-4000-8000-000000000000', 'DELETE, GET, HEAD, PATCH'],
      ['GET', '/api/host/provision', 'POST'],
    ]
    for (const [method, path, allow] of cases) {
      const res = await call<ErrorBody>(path, { method, token: owner.token })
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow)
      expect(res.body.statusCode).toBe(405)
    }
  })

  it('keeps unknown API paths a JSON 404, trailing slashes included', async () => {
    const res = await call<ErrorBody>('/api/no-such-thing', { method: 'DELETE' })
    expect(res.status).toBe(404)
    expect(res.body.statusCode).toBe(404)
    expect((await call('/api/health/')).status).toBe(200)
  })

  it('answers OPTIONS with 204 and Allow on owner paths', async () => {
    const res = await call('/api/webstore/items', { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS')
  })
})
