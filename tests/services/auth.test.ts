import { describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import { eq } from 'drizzle-orm'
import { useTestDatabase } from '../support/test-database'
import { claim, login, LoginThrottle } from '../../server/domains/auth/login'
import { createLicense, ensureClaimToken } from '../../server/domains/licenses/licenses'
import { issueSession, revokeSession, verifySession } from '../../server/domains/auth/sessions'
import { createUser, findOrCreateUserByEmail } from '../../server/domains/auth/users'
import { claimTokens, users } from '../../server/db/schema'

const t = useTestDatabase('cairn_auth')
const NOW = '2026-11-26T10:00:00Z'
const HOUR = 3600_000
const client = (ip: string) => ({ ip, userAgent: 'vitest' })

/** Deps at NOW, or `ms` later. */
const at = (ms = 0) => t.at(new Date(new Date(NOW).getTime() + ms))

describe('login', () => {
  it('signs in with the right password, case-insensitive email', async () => {
    await createUser(at(), { email: 'Owner@Example.com', password: 'correct horse battery' })
    const outcome = await login(at(), { email: 'OWNER@example.COM', password: 'correct horse battery' }, client('1.1.1.1'), new LoginThrottle())
    if (outcome.kind !== 'session') throw new Error('expected a session')
    const { user, session } = outcome
    expect(user.email).toBe('owner@example.com')
    const verified = await verifySession(at(), session.token)
    expect(verified.user.id).toBe(user.id)
  })

  it('answers unknown email, wrong password and unclaimed user identically', async () => {
    await findOrCreateUserByEmail(at(), 'unclaimed@example.com')
    const attempts = [
      { email: 'nobody@example.com', password: 'whatever12' },
      { email: 'owner@example.com', password: 'wrong password' },
      { email: 'unclaimed@example.com', password: 'whatever12' },
    ]
    const errors = await Promise.all(attempts.map(a => login(at(), a, client('2.2.2.2'), new LoginThrottle()).catch((e: unknown) => e)))
    for (const e of errors) expect(e).toMatchObject({ statusCode: 401, message: 'Invalid email or password' })
  })

  it('refuses with 429 after repeated failures, even with the right password', async () => {
    await createUser(at(), { email: 'target@example.com', password: 'correct horse battery' })
    const throttle = new LoginThrottle()
    for (let i = 0; i < 5; i++) await login(at(), { email: 'target@example.com', password: `wrong-${i}-xxxxx` }, client(`3.3.3.${i}`), throttle).catch(() => {})
    await expect(login(at(), { email: 'target@example.com', password: 'correct horse battery' }, client('3.3.3.99'), throttle)).rejects.toMatchObject({ statusCode: 429 })
  })
})

describe('sessions', () => {
  it('rejects tampered, foreign-key, expired and revoked tokens', async () => {
    const user = await createUser(at(), { email: 'sess@example.com', password: 'correct horse battery' })
    const { token, sessionId } = await issueSession(at(), user.id)
    const [h, p, s] = token.split('.')
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString())
    const forged = [h, Buffer.from(JSON.stringify({ ...payload, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url'), s].join('.')
    await expect(verifySession(at(), forged)).rejects.toMatchObject({ statusCode: 401 })
    const otherKey = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32))
    await expect(verifySession(at(), otherKey)).rejects.toMatchObject({ statusCode: 401 })
    const none = [Buffer.from('{"alg":"none"}').toString('base64url'), p, ''].join('.')
    await expect(verifySession(at(), none)).rejects.toMatchObject({ statusCode: 401 })
    await expect(verifySession(at(12 * HOUR + 1000), token)).rejects.toMatchObject({ statusCode: 401 })
    await expect(verifySession(at(), token)).resolves.toBeTruthy()
    await revokeSession(at(), sessionId)
    await expect(verifySession(at(), token)).rejects.toMatchObject({ statusCode: 401 })
  })
})

describe('claim', () => {
  it('sets the password once; the token is single-use and reused by later provisioning calls', async () => {
    const user = await findOrCreateUserByEmail(at(), 'customer@example.com')
    const { license } = await createLicense(at(), { userId: user.id, email: user.email, hostname: 'mc.customer.net' })
    const token = await ensureClaimToken(at(), user, license.id)
    expect(await ensureClaimToken(at(), user, license.id)).toBe(token)
    const [row] = await t.db.select().from(claimTokens).where(eq(claimTokens.userId, user.id))
    expect(row!.tokenHash).not.toBe(token)
    expect(JSON.stringify(row)).not.toContain(token)

    const results = await Promise.allSettled([
      claim(at(), { token, password: 'first password!' }),
      claim(at(), { token, password: 'second password' }),
    ])
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
    const ok = results.find(r => r.status === 'fulfilled')
    expect(ok && ok.value.licenseId).toBe(license.id)
    await expect(claim(at(), { token, password: 'third password' })).rejects.toMatchObject({ statusCode: 400 })
    const [stored] = await t.db.select().from(users).where(eq(users.id, user.id))
    expect(stored!.passwordHash).toMatch(/^scrypt\$/)
  })

  it('refuses an expired claim token', async () => {
    const user = await findOrCreateUserByEmail(at(), 'late@example.com')
    const token = await ensureClaimToken(at(), user, null)
    await expect(claim(at(31 * 24 * HOUR), { token, password: 'some password' })).rejects.toMatchObject({ statusCode: 400 })
  })
})
