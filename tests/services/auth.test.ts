import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import { eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { testKeys } from '../support/keys'
import { claim, login, LoginThrottle } from '../../server/domains/auth/login'
import { fixedClock } from '../../server/platform/clock'
import { createLicense, ensureClaimToken } from '../../server/domains/licenses/licenses'
import { issueSession, revokeSession, verifySession } from '../../server/domains/auth/sessions'
import { createUser, findOrCreateUserByEmail } from '../../server/domains/auth/users'
import { claimTokens, users } from '../../server/db/schema'

let tdb: TestDatabase
const clock = fixedClock('2026-11-26T10:00:00Z')

beforeAll(async () => {
  tdb = await createTestDatabase()
})
afterAll(async () => {
  await tdb?.close()
})

const deps = () => ({ db: tdb.handle.db, sessionKey: testKeys.session, clock, throttle: new LoginThrottle() })

describe('login', () => {
  it('signs in with the right password, case-insensitive email', async () => {
    await createUser(tdb.handle.db, { email: 'Owner@Example.com', password: 'correct horse battery' })
    const { user, session } = await login(deps(), { email: 'OWNER@example.COM', password: 'correct horse battery' }, '1.1.1.1')
    expect(user.email).toBe('owner@example.com')
    const verified = await verifySession(tdb.handle.db, testKeys.session, session.token, clock)
    expect(verified.user.id).toBe(user.id)
  })

  it('answers unknown email, wrong password and unclaimed user identically', async () => {
    await findOrCreateUserByEmail(tdb.handle.db, 'unclaimed@example.com')
    const attempts = [
      { email: 'nobody@example.com', password: 'whatever12' },
      { email: 'owner@example.com', password: 'wrong password' },
      { email: 'unclaimed@example.com', password: 'whatever12' },
    ]
    const errors = await Promise.all(attempts.map(a => login(deps(), a, '2.2.2.2').catch((e: unknown) => e)))
    for (const e of errors) expect(e).toMatchObject({ statusCode: 401, message: 'Invalid email or password' })
  })

  it('refuses with 429 after repeated failures, even with the right password', async () => {
    await createUser(tdb.handle.db, { email: 'target@example.com', password: 'correct horse battery' })
    const d = deps()
    for (let i = 0; i < 5; i++) await login(d, { email: 'target@example.com', password: `wrong-${i}-xxxxx` }, `3.3.3.${i}`).catch(() => {})
    await expect(login(d, { email: 'target@example.com', password: 'correct horse battery' }, '3.3.3.99')).rejects.toMatchObject({ statusCode: 429 })
  })
})

describe('sessions', () => {
  it('rejects tampered, foreign-key, expired and revoked tokens', async () => {
    const user = await createUser(tdb.handle.db, { email: 'sess@example.com', password: 'correct horse battery' })
    const { token, sessionId } = await issueSession(tdb.handle.db, testKeys.session, user.id, clock)
    const [h, p, s] = token.split('.')
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString())
    const forged = [h, Buffer.from(JSON.stringify({ ...payload, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url'), s].join('.')
    await expect(verifySession(tdb.handle.db, testKeys.session, forged, clock)).rejects.toMatchObject({ statusCode: 401 })
    const otherKey = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32))
    await expect(verifySession(tdb.handle.db, testKeys.session, otherKey, clock)).rejects.toMatchObject({ statusCode: 401 })
    const none = [Buffer.from('{"alg":"none"}').toString('base64url'), p, ''].join('.')
    await expect(verifySession(tdb.handle.db, testKeys.session, none, clock)).rejects.toMatchObject({ statusCode: 401 })
    const later = fixedClock(new Date(clock.now().getTime() + 12 * 3600_000 + 1000))
    await expect(verifySession(tdb.handle.db, testKeys.session, token, later)).rejects.toMatchObject({ statusCode: 401 })
    await expect(verifySession(tdb.handle.db, testKeys.session, token, clock)).resolves.toBeTruthy()
    await revokeSession(tdb.handle.db, sessionId, clock)
    await expect(verifySession(tdb.handle.db, testKeys.session, token, clock)).rejects.toMatchObject({ statusCode: 401 })
  })
})

describe('claim', () => {
  it('sets the password once; the token is single-use and reused by later provisioning calls', async () => {
    const db = tdb.handle.db
    const user = await findOrCreateUserByEmail(db, 'customer@example.com')
    const { license } = await createLicense(db, testKeys.seal, { userId: user.id, email: user.email, hostname: 'mc.customer.net' })
    const token = await ensureClaimToken(db, testKeys.seal, user, license.id, clock)
    expect(await ensureClaimToken(db, testKeys.seal, user, license.id, clock)).toBe(token)
    const [row] = await db.select().from(claimTokens).where(eq(claimTokens.userId, user.id))
    expect(row!.tokenHash).not.toBe(token)
    expect(JSON.stringify(row)).not.toContain(token)

    const results = await Promise.allSettled([
      claim({ db, sessionKey: testKeys.session, clock }, { token, password: 'first password!' }),
      claim({ db, sessionKey: testKeys.session, clock }, { token, password: 'second password' }),
    ])
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
    const ok = results.find(r => r.status === 'fulfilled')
    expect(ok && ok.value.licenseId).toBe(license.id)
    await expect(claim({ db, sessionKey: testKeys.session, clock }, { token, password: 'third password' })).rejects.toMatchObject({ statusCode: 400 })
    const [stored] = await db.select().from(users).where(eq(users.id, user.id))
    expect(stored!.passwordHash).toMatch(/^scrypt\$/)
  })

  it('refuses an expired claim token', async () => {
    const db = tdb.handle.db
    const user = await findOrCreateUserByEmail(db, 'late@example.com')
    const token = await ensureClaimToken(db, testKeys.seal, user, null, clock)
    const later = fixedClock(new Date(clock.now().getTime() + 31 * 86400_000))
    await expect(claim({ db, sessionKey: testKeys.session, clock: later }, { token, password: 'some password' })).rejects.toMatchObject({ statusCode: 400 })
  })
})
