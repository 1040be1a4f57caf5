import { readFileSync } from 'node:fs'
import { describe, expect, it, inject } from 'vitest'
import { call, fakeIp } from '../support/http'
import { createOwner } from '../support/fixtures'
import { expectStrictScriptCsp } from '../support/csp'

describe.skipIf(inject('skipReason') !== '')('operations', () => {
  it('health reports db and nats without versions or secrets', async () => {
    const res = await call<Record<string, string>>('/api/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok', db: 'ok', nats: inject('natsUrl') ? 'ok' : 'disabled' })
  })

  it('sets security headers on API and page responses', async () => {
    const api = await call('/api/health')
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
    expect(api.headers.get('referrer-policy')).toBeTruthy()
    expect(api.headers.get('content-security-policy')).toContain('frame-ancestors \'none\'')
    expect(api.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(api.headers.get('strict-transport-security')).toBeNull() // plain http

    const page = await call('/login')
    expect(page.status).toBe(200)
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain('frame-ancestors \'none\'')
    expect(csp).not.toContain('unsafe-eval')
    // Every inline script on the page is admitted by its hash, and only those.
    expectStrictScriptCsp(page.text, csp)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
  })

  it('answers unknown API paths with a JSON 404 and never leaks a stack', async () => {
    const res = await call<Record<string, unknown>>('/api/does-not-exist')
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ statusCode: 404 })
    expect(res.text).not.toMatch(/at .*\.mjs/)
  })

  it('sends signed-out visitors of the panel to /login', async () => {
    const res = await call('/admin')
    expect([301, 302]).toContain(res.status)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })

  it('logs one JSON line per request with its request id, and no secrets', async () => {
    const owner = await createOwner(1, 'logs')
    const requestId = `test-${Date.now()}-abcdef`
    await call('/api/auth/me', { token: owner.token, headers: { 'x-request-id': requestId } })
    await call('/api/auth/login', { body: { email: owner.email, password: owner.password }, headers: { 'x-forwarded-for': fakeIp() } })
    await new Promise(resolve => setTimeout(resolve, 300))
    const log = readFileSync(inject('serverLog'), 'utf8')
    const lines = log.split('\n').filter(l => l.startsWith('{'))
    const entry = lines.map(l => JSON.parse(l) as Record<string, unknown>).find(e => e.request_id === requestId)
    expect(entry).toMatchObject({ msg: 'request', method: 'GET', path: '/api/auth/me', status: 200 })
    expect(log).not.toContain(owner.token)
    expect(log).not.toContain(owner.password)
  })
})
