import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { useTestDatabase } from '../support/test-database'
import { capturingMailer, failingMailer, resetLinkToken } from '../support/mail'
import { confirmPasswordReset, renderPasswordReset, requestPasswordReset, resetRequestThrottle } from '../../server/domains/auth/password'
import { login, LoginThrottle } from '../../server/domains/auth/login'
import { issueSession, verifySession } from '../../server/domains/auth/sessions'
import { createUser } from '../../server/domains/auth/users'
import { processMailOutbox } from '../../server/domains/mail/outbox'
import { mailOutbox, passwordResetTokens, sessions } from '../../server/db/schema'
import type { Deps } from '../../server/platform/deps'
import { sha256Hex } from '../../server/platform/crypto'
import { MAIL_MAX_ATTEMPTS } from '../../shared/contracts/limits'

const t = useTestDatabase('cairn_reset')
const NOW = '2026-11-26T10:00:00Z'
const MINUTE = 60_000
const at = (ms = 0) => t.at(new Date(new Date(NOW).getTime() + ms))
const client = { ip: '10.0.0.1', userAgent: 'vitest' }
const renderers = { password_reset: renderPasswordReset }

/** Runs the mail worker once at `deps`' time and returns what it sent. */
async function deliver(deps: Deps) {
  const mailer = capturingMailer()
  await processMailOutbox(deps, mailer, renderers)
  return mailer.sent
}

async function outboxRows() {
  return t.db.select().from(mailOutbox)
}

describe('password reset request', () => {
  it('does the same on the request path for a known and an unknown address; only the known one gets a mail', async () => {
    await createUser(at(), { email: 'known@example.com', password: 'correct horse battery' })
    await t.db.delete(mailOutbox)
    const throttle = resetRequestThrottle()
    await requestPasswordReset(at(), { email: 'known@example.com' }, '1.1.1.1', throttle)
    await requestPasswordReset(at(), { email: 'nobody@example.com' }, '1.1.1.1', throttle)
    const queued = await outboxRows()
    expect(queued.map(r => [r.kind, r.status])).toEqual([['password_reset', 'pending'], ['password_reset', 'pending']])
    // Sealed: the address is not readable in the table, and both rows look alike.
    for (const row of queued) expect(JSON.stringify(row)).not.toMatch(/example\.com/)

    const sent = await deliver(at())
    expect(sent).toHaveLength(1)
    expect(sent[0]!.to).toBe('known@example.com')
    expect(sent[0]!.text).toContain('https://panel.example.test/reset/')
    expect(sent[0]!.html).toContain('https://panel.example.test/reset/')
    const after = await outboxRows()
    expect(after.map(r => r.status).sort()).toEqual(['dropped', 'sent'])
    expect(after.every(r => r.payloadSealed === null)).toBe(true)
    const tokens = await t.db.select().from(passwordResetTokens)
    expect(tokens).toHaveLength(1)
    const token = resetLinkToken(sent[0]!.text)
    expect(token.length).toBeGreaterThanOrEqual(22) // ≥ 128 bits in base64url
    expect(JSON.stringify(tokens)).not.toContain(token)
  })

  it('is rate limited per address whether or not it exists', async () => {
    const throttle = resetRequestThrottle()
    await createUser(at(), { email: 'flood-known@example.com', password: 'correct horse battery' })
    for (const email of ['flood@example.com', 'flood-known@example.com']) {
      for (let i = 0; i < 3; i++) await requestPasswordReset(at(), { email }, `2.2.2.${i}`, throttle)
      await expect(requestPasswordReset(at(), { email }, '2.2.2.9', throttle)).rejects.toMatchObject({ statusCode: 429 })
    }
  })
})

describe('password reset link', () => {
  async function linkFor(email: string, deps = at()) {
    await t.db.delete(mailOutbox)
    await requestPasswordReset(deps, { email }, '3.3.3.3', resetRequestThrottle())
    const [mail] = await deliver(deps)
    return resetLinkToken(mail!.text)
  }

  it('works once, signs in, and ends every session the user had', async () => {
    const user = await createUser(at(), { email: 'once@example.com', password: 'correct horse battery' })
    const old = await issueSession(at(), user.id)
    const token = await linkFor('once@example.com')
    const outcome = await confirmPasswordReset(at(MINUTE), { token, password: 'a brand new password' }, client)
    expect(outcome.kind).toBe('session')
    await expect(verifySession(at(MINUTE), old.token)).rejects.toMatchObject({ statusCode: 401 })
    if (outcome.kind === 'session') await expect(verifySession(at(MINUTE), outcome.session.token)).resolves.toBeTruthy()
    const live = await t.db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(live.filter(s => s.revokedAt === null)).toHaveLength(1)

    await expect(confirmPasswordReset(at(2 * MINUTE), { token, password: 'yet another password' }, client)).rejects.toMatchObject({ statusCode: 400, data: { issues: [{ path: 'token' }] } })
    const signIn = await login(at(2 * MINUTE), { email: 'once@example.com', password: 'a brand new password' }, client, new LoginThrottle())
    expect(signIn.kind).toBe('session')
  })

  it('expires after an hour', async () => {
    await createUser(at(), { email: 'late@example.com', password: 'correct horse battery' })
    const token = await linkFor('late@example.com')
    await expect(confirmPasswordReset(at(61 * MINUTE), { token, password: 'a brand new password' }, client)).rejects.toMatchObject({ statusCode: 400 })
    await expect(confirmPasswordReset(at(59 * MINUTE), { token, password: 'a brand new password' }, client)).resolves.toMatchObject({ kind: 'session' })
  })

  it('using one link kills the user\'s other outstanding links; a made-up token is refused', async () => {
    await createUser(at(), { email: 'two@example.com', password: 'correct horse battery' })
    const first = await linkFor('two@example.com')
    const second = await linkFor('two@example.com')
    await confirmPasswordReset(at(), { token: second, password: 'a brand new password' }, client)
    await expect(confirmPasswordReset(at(), { token: first, password: 'another password!' }, client)).rejects.toMatchObject({ statusCode: 400 })
    await expect(confirmPasswordReset(at(), { token: 'A'.repeat(43), password: 'another password!' }, client)).rejects.toMatchObject({ statusCode: 400 })
  })
})

describe('mail outbox', () => {
  it('retries a refused mail with growing delays, sends it later, and gives up after the last attempt', async () => {
    await createUser(at(), { email: 'retry@example.com', password: 'correct horse battery' })
    await t.db.delete(mailOutbox)
    await requestPasswordReset(at(), { email: 'retry@example.com' }, '4.4.4.4', resetRequestThrottle())
    const down = failingMailer('421 try again later')
    await processMailOutbox(at(), down, renderers)
    let [row] = await outboxRows()
    expect(row).toMatchObject({ status: 'pending', attempts: 1, kind: 'message', lastError: '421 try again later' })
    expect(row!.nextAttemptAt.getTime()).toBe(new Date(NOW).getTime() + 30_000)
    // Not due yet: nothing happens.
    await processMailOutbox(at(10_000), down, renderers)
    expect((await outboxRows())[0]!.attempts).toBe(1)
    await processMailOutbox(at(31_000), down, renderers)
    ;[row] = await outboxRows()
    expect(row!.attempts).toBe(2)
    expect(row!.nextAttemptAt.getTime()).toBe(new Date(NOW).getTime() + 31_000 + 60_000)
    // The same link as rendered the first time (one token, not one per attempt).
    const sent = await deliver(at(2 * MINUTE))
    expect(sent).toHaveLength(1)
    expect(await t.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.tokenHash, sha256Hex(resetLinkToken(sent[0]!.text))))).toHaveLength(1)
    ;[row] = await outboxRows()
    expect(row).toMatchObject({ status: 'sent', payloadSealed: null })

    await t.db.delete(mailOutbox)
    await requestPasswordReset(at(), { email: 'retry@example.com' }, '4.4.4.5', resetRequestThrottle())
    for (let i = 0; i < MAIL_MAX_ATTEMPTS; i++) {
      const [due] = await outboxRows()
      await processMailOutbox(t.at(due!.nextAttemptAt), down, renderers)
    }
    ;[row] = await outboxRows()
    expect(row).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS, payloadSealed: null })
  })
})
