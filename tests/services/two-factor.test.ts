import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { Secret, TOTP } from 'otpauth'
import { useTestDatabase } from '../support/test-database'
import { login, LoginThrottle } from '../../server/domains/auth/login'
import { createUser } from '../../server/domains/auth/users'
import { verifySession } from '../../server/domains/auth/sessions'
import { changePassword } from '../../server/domains/auth/password'
import { disableTwoFactor, enableTwoFactor, setupTwoFactor, twoFactorStatus, verifyTwoFactor } from '../../server/domains/auth/two-factor'
import { recoveryCodes, sessions, twoFactor, type User } from '../../server/db/schema'
import type { Deps } from '../../server/platform/deps'

const t = useTestDatabase('cairn_2fa')
const NOW = new Date('2026-11-26T10:00:00Z').getTime()
const at = (ms = 0) => t.at(new Date(NOW + ms))
const client = { ip: '10.1.1.1', userAgent: 'vitest' }
const PASSWORD = 'correct horse battery'

const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: NOW + ms })

let n = 0
/** A user with two-factor on (enabled at NOW with the code of that moment). */
async function userWithTwoFactor(): Promise<{ user: User, secret: string, codes: string[] }> {
  const user = await createUser(at(), { email: `tf${++n}@example.com`, password: PASSWORD })
  const { secret, otpauth_url } = await setupTwoFactor(at(), user)
  expect(otpauth_url).toMatch(/^otpauth:\/\/totp\/Cairn:tf\d+%40example\.com\?.*secret=/)
  const codes = await enableTwoFactor(at(), user, codeAt(secret, 0))
  return { user, secret, codes }
}

async function challengeFor(user: User, deps: Deps = at(), throttle = new LoginThrottle()): Promise<string> {
  const outcome = await login(deps, { email: user.email, password: PASSWORD }, client, throttle)
  if (outcome.kind !== 'challenge') throw new Error('expected a challenge')
  return outcome.challenge
}

describe('two-factor setup', () => {
  it('stores the secret sealed, enables with a code, answers 10 recovery codes stored hashed', async () => {
    const user = await createUser(at(), { email: 'setup@example.com', password: PASSWORD })
    const { secret } = await setupTwoFactor(at(), user)
    const [pending] = await t.db.select().from(twoFactor).where(eq(twoFactor.userId, user.id))
    expect(JSON.stringify(pending)).not.toContain(secret)
    await expect(enableTwoFactor(at(), user, '000000' === codeAt(secret, 0) ? '111111' : '000000')).rejects.toMatchObject({ statusCode: 400, data: { issues: [{ path: 'code' }] } })
    const codes = await enableTwoFactor(at(), user, codeAt(secret, 0))
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    const stored = await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))
    expect(stored).toHaveLength(10)
    for (const code of codes) expect(JSON.stringify(stored)).not.toContain(code.replace(/-/g, ''))
    const [on] = await t.db.select().from(twoFactor).where(eq(twoFactor.userId, user.id))
    expect(JSON.stringify(on)).not.toContain(secret)
    expect(await twoFactorStatus(at(), user.id)).toEqual({ enabled: true, enabled_at: new Date(NOW).toISOString(), recovery_codes_left: 10 })
    await expect(setupTwoFactor(at(), user)).rejects.toMatchObject({ statusCode: 409 })
  })
})

describe('two-factor sign-in', () => {
  it('the right password gives a challenge and no session; the challenge and a code give one', async () => {
    const { user, secret } = await userWithTwoFactor()
    const before = await t.db.select().from(sessions).where(eq(sessions.userId, user.id))
    const challenge = await challengeFor(user, at(60_000))
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(before.length)
    const { session } = await verifyTwoFactor(at(60_000), { challenge, code: codeAt(secret, 60_000) }, client, new LoginThrottle())
    await expect(verifySession(at(60_000), session.token)).resolves.toMatchObject({ user: { id: user.id } })
  })

  it('refuses a TOTP code used once already (replay), and the enabling code itself; a later code works', async () => {
    const { user, secret } = await userWithTwoFactor()
    const throttle = new LoginThrottle()
    const challenge = await challengeFor(user, at(30_000), throttle)
    await expect(verifyTwoFactor(at(30_000), { challenge, code: codeAt(secret, 0) }, client, throttle)).rejects.toMatchObject({ statusCode: 401 })
    const code = codeAt(secret, 30_000)
    await verifyTwoFactor(at(30_000), { challenge, code }, client, throttle)
    await expect(verifyTwoFactor(at(35_000), { challenge, code }, client, throttle)).rejects.toMatchObject({ statusCode: 401 })
    await expect(verifyTwoFactor(at(61_000), { challenge, code: codeAt(secret, 61_000) }, client, throttle)).resolves.toBeTruthy()
  })

  it('accepts each recovery code once', async () => {
    const { user, codes } = await userWithTwoFactor()
    const challenge = await challengeFor(user)
    const throttle = new LoginThrottle()
    await verifyTwoFactor(at(), { challenge, code: codes[3]!.toLowerCase() }, client, throttle)
    await expect(verifyTwoFactor(at(), { challenge, code: codes[3]! }, client, throttle)).rejects.toMatchObject({ statusCode: 401 })
    expect((await twoFactorStatus(at(), user.id)).recovery_codes_left).toBe(9)
  })

  it('refuses a forged, expired or outdated challenge', async () => {
    const { user, secret } = await userWithTwoFactor()
    const challenge = await challengeFor(user)
    const throttle = new LoginThrottle()
    const parts = challenge.split('.')
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`
    for (const forged of [[parts[0], parts[1], parts[2], flipped].join('.'), 'v1.x.y.z', 'not a challenge']) {
      await expect(verifyTwoFactor(at(30_000), { challenge: forged, code: codeAt(secret, 30_000) }, client, throttle)).rejects.toMatchObject({ statusCode: 401 })
    }
    await expect(verifyTwoFactor(at(5 * 60_000 + 1000), { challenge, code: codeAt(secret, 5 * 60_000 + 1000) }, client, throttle)).rejects.toMatchObject({ statusCode: 401 })
    // The password changed since the challenge was issued: it is void.
    const [row] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id)).limit(1)
    await changePassword(at(), user, row?.id ?? '00000000-0000-4000-8000-000000000000', { current_password: PASSWORD, new_password: 'another long password' }, '10.1.1.2', new LoginThrottle())
    await expect(verifyTwoFactor(at(90_000), { challenge, code: codeAt(secret, 90_000) }, client, throttle)).rejects.toMatchObject({ statusCode: 401 })
  })

  it('rate limits wrong codes like wrong passwords: 429 after five, even for the right code', async () => {
    const { user, secret } = await userWithTwoFactor()
    const throttle = new LoginThrottle()
    const challenge = await challengeFor(user, at(), throttle)
    for (let i = 0; i < 5; i++) {
      await expect(verifyTwoFactor(at(), { challenge, code: `00000${i}` === codeAt(secret, 0) ? '999999' : `00000${i}` }, client, throttle)).rejects.toMatchObject({ statusCode: 401 })
    }
    await expect(verifyTwoFactor(at(30_000), { challenge, code: codeAt(secret, 30_000) }, client, throttle)).rejects.toMatchObject({ statusCode: 429 })
    // A correct password does not refill the bucket while the second step is pending.
    await expect(login(at(), { email: user.email, password: PASSWORD }, client, throttle)).rejects.toMatchObject({ statusCode: 429 })
  })
})

describe('two-factor disable', () => {
  it('needs the password (403) and a current code (400); then sign-in needs the password only', async () => {
    const { user, secret } = await userWithTwoFactor()
    const throttle = new LoginThrottle()
    await expect(disableTwoFactor(at(30_000), user, 'x', { password: 'wrong password!', code: codeAt(secret, 30_000) }, '10.2.2.2', throttle)).rejects.toMatchObject({ statusCode: 403 })
    await expect(disableTwoFactor(at(30_000), user, 'x', { password: PASSWORD, code: '12345x' }, '10.2.2.2', throttle)).rejects.toMatchObject({ statusCode: 400 })
    expect((await twoFactorStatus(at(), user.id)).enabled).toBe(true)
    await disableTwoFactor(at(30_000), user, '00000000-0000-4000-8000-000000000000', { password: PASSWORD, code: codeAt(secret, 30_000) }, '10.2.2.2', throttle)
    expect(await twoFactorStatus(at(), user.id)).toEqual({ enabled: false, enabled_at: null, recovery_codes_left: 0 })
    expect(await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toEqual([])
    const outcome = await login(at(), { email: user.email, password: PASSWORD }, client, new LoginThrottle())
    expect(outcome.kind).toBe('session')
  })
})
