import { describe, expect, it, inject } from 'vitest'
import { SignJWT } from 'jose'
import { eq } from 'drizzle-orm'
import { call, fakeIp } from '../support/http'
import { createOwner, serverDb, uniqueEmail } from '../support/fixtures'
import { testKeys } from '../support/keys'
import { ensureClaimToken, createLicense } from '../../server/domains/licenses/licenses'
import { findOrCreateUserByEmail } from '../../server/domains/auth/users'
import { licenses, sessions, storeCategories, users } from '../../server/db/schema'
import { testDeps } from '../support/deps'

describe.skipIf(inject('skipReason') !== '')('sign-in API', () => {
  it('login returns the user, a token and an httpOnly SameSite=Lax cookie; me lists licenses', async () => {
    const owner = await createOwner(2, 'login')
    const res = await call<{ user: { id: string, email: string }, token: string }>('/api/auth/login', { body: { email: owner.email.toUpperCase(), password: owner.password }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(res.status).toBe(200)
    expect(res.body.user).toEqual({ id: owner.user.id, email: owner.email })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^cairn_session=[^;]+;/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).not.toMatch(/Secure/i) // plain http here; behind https it is set (see below)

    const me = await call<{ user: unknown, licenses: Array<Record<string, unknown>> }>('/api/auth/me', { token: res.body.token })
    expect(me.status).toBe(200)
    expect(me.body.user).toEqual({ id: owner.user.id, email: owner.email })
    expect(me.body.licenses.map(l => l.license_id).sort()).toEqual(owner.licenses.map(l => l.id).sort())
    expect(Object.keys(me.body.licenses[0]!).sort()).toEqual(['hostname', 'license_id', 'license_key', 'status', 'subdomain'])

    const viaCookie = await call('/api/auth/me', { headers: { cookie: cookie.split(';')[0]! } })
    expect(viaCookie.status).toBe(200)
  })

  it('marks the cookie Secure behind an https proxy', async () => {
    const owner = await createOwner(1, 'secure')
    const res = await call('/api/auth/login', { body: { email: owner.email, password: owner.password }, headers: { 'x-forwarded-for': fakeIp(), 'x-forwarded-proto': 'https' } })
    expect(res.headers.get('set-cookie')).toMatch(/Secure/i)
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
  })

  it('answers unknown email and wrong password with the same 401', async () => {
    const owner = await createOwner(1, 'same401')
    const ip = fakeIp()
    const unknown = await call('/api/auth/login', { body: { email: uniqueEmail('ghost'), password: 'whatever123' }, headers: { 'x-forwarded-for': ip } })
    const wrong = await call('/api/auth/login', { body: { email: owner.email, password: 'wrong password' }, headers: { 'x-forwarded-for': ip } })
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    expect(unknown.body).toEqual(wrong.body)
    expect(unknown.headers.get('set-cookie')).toBeNull()
  })

  it('rate-limits repeated failures with 429 and Retry-After', async () => {
    const owner = await createOwner(1, 'brute')
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const res = await call('/api/auth/login', { body: { email: owner.email, password: `guess-${i}-xxxxx` }, headers: { 'x-forwarded-for': fakeIp() } })
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.slice(5)).toEqual([429, 429])
    const right = await call('/api/auth/login', { body: { email: owner.email, password: owner.password }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(right.status).toBe(429)
  })

  it('validates the login body and names the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ password: 'x' }, 'email'],
      [{ email: 'a@b.c' }, 'password'],
      [{ email: 42, password: 'x' }, 'email'],
      [{ email: 'a@b.c', password: 'x'.repeat(2000) }, 'password'],
    ]
    for (const [body, field] of cases) {
      const res = await call<{ statusCode: number, data: { issues: Array<{ path: string }> } }>('/api/auth/login', { body, headers: { 'x-forwarded-for': fakeIp() } })
      expect(res.status).toBe(400)
      expect(res.body.statusCode).toBe(400)
      expect(res.body.data.issues.map(i => i.path)).toContain(field)
    }
    const malformed = await call('/api/auth/login', { raw: '{"email":', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
    const arrayBody = await call('/api/auth/login', { body: [1, 2] })
    expect(arrayBody.status).toBe(400)
  })

  it('logout revokes the session server-side and clears the cookie', async () => {
    const owner = await createOwner(1, 'logout')
    const out = await call('/api/auth/logout', { method: 'POST', token: owner.token })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/cairn_session=;|Max-Age=0/)
    expect((await call('/api/auth/me', { token: owner.token })).status).toBe(401)
    const { db } = await serverDb()
    const rows = await db.select().from(sessions).where(eq(sessions.userId, owner.user.id))
    expect(rows.every(r => r.revokedAt !== null)).toBe(true)
    expect((await call('/api/auth/logout', { method: 'POST' })).status).toBe(204)
  })

  it('claim: a provisioned customer sets a password once, then signs in', async () => {
    const { db } = await serverDb()
    const email = uniqueEmail('claim')
    const deps = testDeps(db)
    const user = await findOrCreateUserByEmail(deps, email)
    const { license } = await createLicense(deps, { userId: user.id, email, hostname: 'mc.claim.net' })
    const token = await ensureClaimToken(deps, user, license.id)

    const short = await call<{ data: { issues: Array<{ path: string }> } }>('/api/auth/claim', { body: { token, password: 'short' } })
    expect(short.status).toBe(400)
    expect(short.body.data.issues[0]!.path).toBe('password')

    const ok = await call<{ user: { email: string }, token: string, license_id: string }>('/api/auth/claim', { body: { token, password: 'my new password' } })
    expect(ok.status).toBe(200)
    expect(ok.body.user.email).toBe(email)
    expect(ok.body.license_id).toBe(license.id)
    expect(ok.headers.get('set-cookie')).toMatch(/cairn_session=/)
    expect((await call('/api/auth/me', { token: ok.body.token })).status).toBe(200)

    const again = await call('/api/auth/claim', { body: { token, password: 'another password' } })
    expect(again.status).toBe(400)
    const login = await call('/api/auth/login', { body: { email, password: 'my new password' }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(login.status).toBe(200)
    const bogus = await call('/api/auth/claim', { body: { token: 'A'.repeat(32), password: 'another password' } })
    expect(bogus.status).toBe(400)
  })
})

describe.skipIf(inject('skipReason') !== '')('session security', () => {
  it('rejects tampered, expired, foreign-signed and malformed tokens with 401', async () => {
    const owner = await createOwner(1, 'jwt')
    const [h, p, s] = owner.token.split('.')
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString())
    const tampered = [h, Buffer.from(JSON.stringify({ ...claims, sub: '11111111-1111-4111-8111-111111111111' })).toString('base64url'), s].join('.')
    const expired = await new SignJWT({ sid: claims.sid }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuer('cairn').setAudience('cairn-panel')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 13 * 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(testKeys.session)
    const foreign = await new SignJWT({ sid: claims.sid }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuer('cairn').setAudience('cairn-panel')
      .setExpirationTime('1h').sign(new TextEncoder().encode('some-other-secret-some-other-secret'))
    const unsigned = [Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url'), p, ''].join('.')
    for (const token of [tampered, expired, foreign, unsigned, 'garbage', `${owner.token}x`]) {
      const res = await call<{ statusCode: number }>('/api/auth/me', { token })
      expect(res.status, token.slice(0, 20)).toBe(401)
      expect(res.body.statusCode).toBe(401)
    }
    expect((await call('/api/auth/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401)
    expect((await call('/api/auth/me')).status).toBe(401)
    expect((await call('/api/auth/me', { token: owner.token })).status).toBe(200)
  })

  it('refuses cookie-authenticated unsafe requests from another origin (CSRF) with 403', async () => {
    const owner = await createOwner(1, 'csrf')
    const cookie = `cairn_session=${owner.token}`
    const evil = await call('/api/auth/logout', { method: 'POST', headers: { cookie, origin: 'https://evil.example' } })
    expect(evil.status).toBe(403)
    expect((await call('/api/auth/me', { token: owner.token })).status).toBe(200) // not signed out
    const evilReferer = await call('/api/auth/logout', { method: 'POST', headers: { cookie, referer: 'https://evil.example/page' } })
    expect(evilReferer.status).toBe(403)
    const same = await call('/api/auth/logout', { method: 'POST', headers: { cookie, origin: inject('baseUrl') } })
    expect(same.status).toBe(204)
  })

  it('never returns a password hash', async () => {
    const owner = await createOwner(1, 'nohash')
    const { db } = await serverDb()
    const [row] = await db.select().from(users).where(eq(users.id, owner.user.id))
    const hash = row!.passwordHash!
    const responses = await Promise.all([
      call('/api/auth/login', { body: { email: owner.email, password: owner.password }, headers: { 'x-forwarded-for': fakeIp() } }),
      call('/api/auth/me', { token: owner.token }),
      call('/api/license', { token: owner.token }),
    ])
    for (const res of responses) {
      expect(res.text).not.toContain(hash)
      expect(res.text).not.toContain('scrypt$')
      expect(res.text).not.toContain('password_hash')
      expect(res.text).not.toContain('passwordHash')
    }
  })
})

describe.skipIf(inject('skipReason') !== '')('requireLicense', () => {
  it('uses the only license, the named one, and answers 404 for another owner\'s', async () => {
    const alice = await createOwner(1, 'alice')
    const bob = await createOwner(2, 'bob')
    const only = await call<{ license: { license_id: string } }>('/api/license', { token: alice.token })
    expect(only.status).toBe(200)
    expect(only.body.license.license_id).toBe(alice.licenses[0]!.id)

    const ambiguous = await call<{ data: { issues: Array<{ path: string }> } }>('/api/license', { token: bob.token })
    expect(ambiguous.status).toBe(400)
    expect(ambiguous.body.data.issues[0]!.path).toBe('X-License-Id')

    const named = await call<{ license: { license_id: string } }>('/api/license', { token: bob.token, headers: { 'x-license-id': bob.licenses[1]!.id } })
    expect(named.body.license.license_id).toBe(bob.licenses[1]!.id)

    const foreign = await call('/api/license', { token: bob.token, headers: { 'x-license-id': alice.licenses[0]!.id } })
    const missing = await call('/api/license', { token: bob.token, headers: { 'x-license-id': '00000000-0000-4000-8000-000000000000' } })
    const junk = await call('/api/license', { token: bob.token, headers: { 'x-license-id': '\' or 1=1 --' } })
    expect(foreign.status).toBe(404)
    expect(missing.status).toBe(404)
    expect(junk.status).toBe(404)
    expect(foreign.body).toEqual(missing.body)
    expect((await call('/api/license', { headers: { 'x-license-id': alice.licenses[0]!.id } })).status).toBe(401)
  })
})

describe.skipIf(inject('skipReason') !== '')('revoked licenses', () => {
  it('stay readable by name but refuse changes with 409, and are never the implicit license', async () => {
    const owner = await createOwner(2, 'revoked')
    const { db } = await serverDb()
    const revoked = owner.licenses[0]!
    await db.update(licenses).set({ status: 'revoked', revokedAt: new Date() }).where(eq(licenses.id, revoked.id))

    const implicit = await call<{ license: { license_id: string } }>('/api/license', { token: owner.token })
    expect(implicit.status).toBe(200)
    expect(implicit.body.license.license_id).toBe(owner.licenses[1]!.id)

    const read = await call<{ license: { status: string } }>('/api/license', { token: owner.token, headers: { 'x-license-id': revoked.id } })
    expect(read.status).toBe(200)
    expect(read.body.license.status).toBe('revoked')

    const write = await call('/api/webstore/categories', { token: owner.token, headers: { 'x-license-id': revoked.id }, body: { name: 'Ranks' } })
    expect(write.status).toBe(409)
    expect(await db.select().from(storeCategories).where(eq(storeCategories.licenseId, revoked.id))).toEqual([])
  })
})
