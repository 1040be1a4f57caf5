import { describe, expect, it, inject } from 'vitest'
import { eq } from 'drizzle-orm'
import { Secret, TOTP } from 'otpauth'
import { call, fakeIp } from '../support/http'
import { createAccount, createOwner, serverDb, uniqueEmail, TEST_PASSWORD, type Owner } from '../support/fixtures'
import { mailsTo, resetLink, waitForMail } from '../support/mailbox'
import { pollFor } from '../support/poll'
import { mailOutbox, passwordResetTokens, sessions, twoFactor } from '../../server/db/schema'
import { sha256Hex } from '../../server/platform/crypto'

const skip = inject('skipReason') !== ''

async function signIn(email: string, password = TEST_PASSWORD, ip = fakeIp()) {
  return call<Record<string, unknown>>('/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip, 'user-agent': 'AccountTest/1.0' } })
}

/** The code of the next 30 s step: accepted (one step of drift) and never the step the last code used. */
const nextCode = (secret: string, steps = 1) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 })

async function withTwoFactor(owner: Owner): Promise<{ secret: string, codes: string[] }> {
  const setup = await call<{ secret: string, otpauth_url: string }>('/api/auth/2fa/setup', { method: 'POST', token: owner.token })
  expect(setup.status).toBe(200)
  const secret = setup.body.secret
  const enable = await call<{ recovery_codes: string[] }>('/api/auth/2fa/enable', { token: owner.token, body: { code: new TOTP({ secret: Secret.fromBase32(secret) }).generate() } })
  expect(enable.status).toBe(200)
  return { secret, codes: enable.body.recovery_codes }
}

describe.skipIf(skip)('password reset by mail', () => {
  it('answers a known and an unknown address alike; only the known one gets a mail with a working, single-use link', async () => {
    const owner = await createOwner(1, 'reset')
    const stranger = uniqueEmail('nobody')
    const known = await call('/api/auth/password-reset/request', { body: { email: owner.email.toUpperCase() }, headers: { 'x-forwarded-for': fakeIp() } })
    const unknown = await call('/api/auth/password-reset/request', { body: { email: stranger }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(known.status).toBe(202)
    expect(unknown.status).toBe(202)
    expect(known.body).toEqual({})
    expect(unknown.text).toBe(known.text)
    expect(unknown.headers.get('content-type')).toBe(known.headers.get('content-type'))

    const mail = await waitForMail(owner.email)
    expect(mail.subject).toBe('Reset your Cairn password')
    expect(mail.raw).toMatch(/text\/plain/)
    expect(mail.raw).toMatch(/text\/html/)
    const { url, token } = resetLink(mail)
    expect(url).toBe(`${inject('baseUrl')}/reset/${token}`)
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16)
    const { db } = await serverDb()
    const [stored] = await db.select().from(passwordResetTokens).where(eq(passwordResetTokens.tokenHash, sha256Hex(token)))
    expect(stored!.userId).toBe(owner.user.id)
    // The unknown address: its queued request was dropped, no mail left.
    await pollFor(async () => ((await db.select().from(mailOutbox).where(eq(mailOutbox.status, 'pending'))).length === 0 ? true : undefined), { timeoutMs: 20_000, failure: () => 'mail outbox never drained' })
    expect(await mailsTo(stranger)).toEqual([])

    const confirmed = await call<{ user: { id: string }, token: string }>('/api/auth/password-reset/confirm', { body: { token, password: 'my fresh new password' } })
    expect(confirmed.status).toBe(200)
    expect(confirmed.body.user.id).toBe(owner.user.id)
    expect(confirmed.headers.get('set-cookie')).toMatch(/^cairn_session=/)
    expect((await call('/api/auth/me', { token: confirmed.body.token })).status).toBe(200)
    // Every session the user had before is gone.
    expect((await call('/api/auth/me', { token: owner.token })).status).toBe(401)
    const again = await call<{ data: { issues: Array<{ path: string }> } }>('/api/auth/password-reset/confirm', { body: { token, password: 'another new password' } })
    expect(again.status).toBe(400)
    expect(again.body.data.issues[0]!.path).toBe('token')
    expect((await signIn(owner.email, 'my fresh new password')).status).toBe(200)
    expect((await signIn(owner.email, TEST_PASSWORD)).status).toBe(401)
  })

  it('validates input, refuses made-up tokens, and rate limits requests per address', async () => {
    const bad = await call<{ data: { issues: Array<{ path: string }> } }>('/api/auth/password-reset/request', { body: { email: 'not-an-email' } })
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues[0]!.path).toBe('email')
    const bogus = await call('/api/auth/password-reset/confirm', { body: { token: 'A'.repeat(43), password: 'long enough password' } })
    expect(bogus.status).toBe(400)
    const short = await call<{ data: { issues: Array<{ path: string }> } }>('/api/auth/password-reset/confirm', { body: { token: 'A'.repeat(43), password: 'short' } })
    expect(short.body.data.issues.map(i => i.path)).toContain('password')
    const email = uniqueEmail('flood')
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await call('/api/auth/password-reset/request', { body: { email }, headers: { 'x-forwarded-for': fakeIp() } })).status)
    expect(statuses).toEqual([202, 202, 202, 429])
  })
})

describe.skipIf(skip)('password change and sessions', () => {
  it('a password change needs the current password and ends every other session', async () => {
    const owner = await createOwner(1, 'pwchange')
    const second = await signIn(owner.email)
    const wrong = await call('/api/auth/password', { token: owner.token, body: { current_password: 'not the password', new_password: 'a new long password' } })
    expect(wrong.status).toBe(403)
    expect((await call('/api/auth/me', { token: second.body.token as string })).status).toBe(200)
    const changed = await call('/api/auth/password', { token: owner.token, body: { current_password: TEST_PASSWORD, new_password: 'a new long password' } })
    expect(changed.status).toBe(200)
    expect(changed.body).toEqual({ revoked_sessions: 1 })
    expect((await call('/api/auth/me', { token: second.body.token as string })).status).toBe(401)
    expect((await call('/api/auth/me', { token: owner.token })).status).toBe(200)
    expect((await call('/api/auth/password', { body: { current_password: 'x', new_password: 'y' } })).status).toBe(401)
  })

  it('lists sessions with ip, user agent and the current one; deleting one stops its token at once; another user\'s is a 404', async () => {
    const account = await createAccount(1, 'sessions')
    const ip = fakeIp()
    const first = await signIn(account.email, TEST_PASSWORD, ip)
    const second = await signIn(account.email)
    const list = await call<{ sessions: Array<Record<string, unknown>> }>('/api/auth/sessions', { token: first.body.token as string })
    expect(list.status).toBe(200)
    expect(list.body.sessions).toHaveLength(2)
    const mine = list.body.sessions.find(s => s.current)!
    expect(Object.keys(mine).sort()).toEqual(['created_at', 'current', 'id', 'ip', 'last_seen_at', 'user_agent'])
    expect(mine).toMatchObject({ ip, user_agent: 'AccountTest/1.0' })
    const other = list.body.sessions.find(s => !s.current)!

    const stranger = await createOwner(1, 'sessions-stranger')
    const foreign = await call('/api/auth/sessions/' + String(other.id), { method: 'DELETE', token: stranger.token })
    expect(foreign.status).toBe(404)
    expect((await call('/api/auth/me', { token: second.body.token as string })).status).toBe(200)
    expect((await call('/api/auth/sessions/not-a-uuid', { method: 'DELETE', token: stranger.token })).status).toBe(404)

    const gone = await call('/api/auth/sessions/' + String(other.id), { method: 'DELETE', token: first.body.token as string })
    expect(gone.status).toBe(204)
    expect((await call('/api/auth/me', { token: second.body.token as string })).status).toBe(401)
    const { db } = await serverDb()
    const [row] = await db.select().from(sessions).where(eq(sessions.id, String(other.id)))
    expect(row!.revokedAt).not.toBeNull()
    expect((await call('/api/auth/sessions')).status).toBe(401)
  })
})

describe.skipIf(skip)('two-factor sign-in', () => {
  it('the right password answers a challenge with no token and no cookie; a code finishes the sign-in once', async () => {
    const owner = await createOwner(1, 'totp')
    const { secret } = await withTwoFactor(owner)
    const { db } = await serverDb()
    const [row] = await db.select().from(twoFactor).where(eq(twoFactor.userId, owner.user.id))
    expect(JSON.stringify(row)).not.toContain(secret)
    expect((await call<{ enabled: boolean, recovery_codes_left: number }>('/api/auth/2fa', { token: owner.token })).body).toMatchObject({ enabled: true, recovery_codes_left: 10 })

    const before = (await db.select().from(sessions).where(eq(sessions.userId, owner.user.id))).length
    const first = await signIn(owner.email)
    expect(first.status).toBe(200)
    expect(Object.keys(first.body).sort()).toEqual(['challenge', 'two_factor_required'])
    expect(first.body.two_factor_required).toBe(true)
    expect(first.headers.get('set-cookie')).toBeNull()
    expect(await db.select().from(sessions).where(eq(sessions.userId, owner.user.id))).toHaveLength(before)

    const code = nextCode(secret)
    const verified = await call<{ user: { id: string }, token: string }>('/api/auth/2fa/verify', { body: { challenge: first.body.challenge, code }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(verified.status).toBe(200)
    expect(verified.body.user.id).toBe(owner.user.id)
    expect(verified.headers.get('set-cookie')).toMatch(/^cairn_session=/)
    expect((await call('/api/auth/me', { token: verified.body.token })).status).toBe(200)

    const replay = await call('/api/auth/2fa/verify', { body: { challenge: first.body.challenge, code }, headers: { 'x-forwarded-for': fakeIp() } })
    expect(replay.status).toBe(401)
    expect(replay.headers.get('set-cookie')).toBeNull()
  })

  it('refuses a forged challenge; a recovery code works once; wrong codes are rate limited', async () => {
    const owner = await createOwner(1, 'recovery')
    const { secret, codes } = await withTwoFactor(owner)
    const { challenge } = (await signIn(owner.email)).body as { challenge: string }
    const parts = challenge.split('.')
    const forged = [parts[0], parts[1], parts[2], `${parts[3]!.slice(0, -2)}AA`].join('.')
    expect((await call('/api/auth/2fa/verify', { body: { challenge: forged, code: nextCode(secret) } })).status).toBe(401)
    expect((await call('/api/auth/2fa/verify', { body: { challenge: 'v1.AAAA.AAAA.AAAA', code: nextCode(secret) } })).status).toBe(401)

    const recovered = await call('/api/auth/2fa/verify', { body: { challenge, code: codes[0] } })
    expect(recovered.status).toBe(200)
    expect((await call('/api/auth/2fa/verify', { body: { challenge, code: codes[0] } })).status).toBe(401)
    expect((await call<{ recovery_codes_left: number }>('/api/auth/2fa', { token: owner.token })).body.recovery_codes_left).toBe(9)

    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await call('/api/auth/2fa/verify', { body: { challenge, code: 'WRONG-CODE-0' }, headers: { 'x-forwarded-for': fakeIp() } })).status)
    // The reused recovery code above was the first wrong code: four more and the bucket is empty.
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429])
    const blocked = await call('/api/auth/2fa/verify', { body: { challenge, code: codes[1] } })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('disable needs the password and a code; setup while enabled is a 409; the claim flow is untouched', async () => {
    const owner = await createOwner(1, 'disable')
    const { codes } = await withTwoFactor(owner)
    expect((await call('/api/auth/2fa/setup', { method: 'POST', token: owner.token })).status).toBe(409)
    expect((await call('/api/auth/2fa/disable', { token: owner.token, body: { password: 'wrong password!', code: codes[0] } })).status).toBe(403)
    const badCode = await call<{ data: { issues: Array<{ path: string }> } }>('/api/auth/2fa/disable', { token: owner.token, body: { password: TEST_PASSWORD, code: '000000' } })
    expect(badCode.status).toBe(400)
    expect(badCode.body.data.issues[0]!.path).toBe('code')
    const off = await call('/api/auth/2fa/disable', { token: owner.token, body: { password: TEST_PASSWORD, code: codes[0] } })
    expect(off.status).toBe(200)
    expect(off.body).toEqual({})
    const plain = await signIn(owner.email)
    expect(plain.status).toBe(200)
    expect(typeof plain.body.token).toBe('string')
  })
})
