import { and, count, eq, isNull, lt, or } from 'drizzle-orm'
import { Secret, TOTP } from 'otpauth'
import { recoveryCodes, twoFactor, type TwoFactorRow, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { open, randomBase32, seal, sha256Hex } from '../../platform/crypto'
import { Conflict, InvalidInput, Unauthorized } from '../../platform/errors'
import { loginThrottle, type LoginThrottle, type SignInClient } from './login'
import { assertPassword } from './password'
import { issueSession, revokeOtherSessions, type IssuedSession } from './sessions'
import { openChallenge } from './sign-in'
import type { TwoFactorDisableInput, TwoFactorSetupResponse, TwoFactorStatus, TwoFactorVerifyInput } from '../../../shared/contracts/account'
import { RECOVERY_CODE_COUNT, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from '../../../shared/contracts/limits'

// TOTP two-factor (RFC 6238: SHA-1, 6 digits, 30 s, what authenticator apps read) and recovery codes.

const ISSUER = 'Cairn'
const sealAad = (userId: string) => `totp:${userId}`

function totp(secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) })
}

/** Spaces and dashes dropped, upper-cased: how codes are compared and hashed. */
const normalizeCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase()
const isTotpCode = (code: string) => new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)

/** The time step `code` belongs to (one step of clock drift either way), or null. */
function matchingStep(secret: string, code: string, now: Date): number | null {
  const delta = totp(secret, 'check').validate({ token: code, timestamp: now.getTime(), window: 1 })
  return delta === null ? null : Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta
}

async function loadState(deps: Deps, userId: string) {
  const [row] = await deps.db.select().from(twoFactor).where(eq(twoFactor.userId, userId))
  return row
}

export async function twoFactorStatus(deps: Deps, userId: string): Promise<TwoFactorStatus> {
  const row = await loadState(deps, userId)
  const [left] = await deps.db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
  return presentTwoFactorStatus(row, left?.n ?? 0)
}

export function presentTwoFactorStatus(row: Pick<TwoFactorRow, 'enabledAt'> | undefined, recoveryCodesLeft: number): TwoFactorStatus {
  const enabled = Boolean(row?.enabledAt)
  return { enabled, enabled_at: row?.enabledAt?.toISOString() ?? null, recovery_codes_left: enabled ? recoveryCodesLeft : 0 }
}

/** A new secret, kept (sealed) as pending until a code proves the app has it; 409 while enabled. */
export async function setupTwoFactor(deps: Deps, user: User): Promise<TwoFactorSetupResponse> {
  const existing = await loadState(deps, user.id)
  if (existing?.enabledAt) throw new Conflict('Two-factor sign-in is already on: turn it off first to set up another app')
  const secret = new Secret({ size: 20 }).base32
  const pendingSecretSealed = seal(deps.keys.seal, secret, sealAad(user.id))
  await deps.db.insert(twoFactor).values({ userId: user.id, pendingSecretSealed, updatedAt: deps.clock.now() })
    .onConflictDoUpdate({ target: twoFactor.userId, set: { pendingSecretSealed, updatedAt: deps.clock.now() } })
  return { secret, otpauth_url: totp(secret, user.email).toString() }
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => randomBase32(12).replace(/(.{4})(?=.)/g, '$1-'))
}

const wrongCode = (message = 'is not the current code from your authenticator app') => new InvalidInput([{ path: 'code', message }])

/** Turns two-factor on with a code from the pending secret; answers the recovery codes (shown once). */
export async function enableTwoFactor(deps: Deps, user: User, code: string): Promise<string[]> {
  const state = await loadState(deps, user.id)
  if (state?.enabledAt) throw new Conflict('Two-factor sign-in is already on')
  if (!state?.pendingSecretSealed) throw new Conflict('Start the setup first (POST /api/auth/2fa/setup)')
  const secret = open(deps.keys.seal, state.pendingSecretSealed, sealAad(user.id))
  const step = isTotpCode(normalizeCode(code)) ? matchingStep(secret, normalizeCode(code), deps.clock.now()) : null
  if (step === null) throw wrongCode()
  const codes = newRecoveryCodes()
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now()
    // The enabling code is spent too: lastStep makes it useless for a sign-in.
    const [on] = await tx.update(twoFactor).set({ secretSealed: state.pendingSecretSealed, pendingSecretSealed: null, enabledAt: now, lastStep: step, updatedAt: now })
      .where(and(eq(twoFactor.userId, user.id), isNull(twoFactor.enabledAt), eq(twoFactor.pendingSecretSealed, state.pendingSecretSealed ?? '')))
      .returning()
    if (!on) throw new Conflict('Two-factor sign-in changed meanwhile: start the setup again')
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id))
    await tx.insert(recoveryCodes).values(codes.map(c => ({ userId: user.id, codeHash: sha256Hex(normalizeCode(c)), createdAt: now })))
  })
  return codes
}

/**
 * Accepts a TOTP code once (its time step must be later than the last accepted one, set by a
 * conditional update so two concurrent uses cannot both pass) or an unused recovery code once.
 */
async function consumeCode(deps: Deps, userId: string, rawCode: string): Promise<boolean> {
  const code = normalizeCode(rawCode)
  const state = await loadState(deps, userId)
  if (!state?.enabledAt || !state.secretSealed) return false
  if (isTotpCode(code)) {
    const step = matchingStep(open(deps.keys.seal, state.secretSealed, sealAad(userId)), code, deps.clock.now())
    if (step === null) return false
    const [spent] = await deps.db.update(twoFactor).set({ lastStep: step })
      .where(and(eq(twoFactor.userId, userId), or(isNull(twoFactor.lastStep), lt(twoFactor.lastStep, step))))
      .returning({ userId: twoFactor.userId })
    return spent !== undefined
  }
  const [used] = await deps.db.update(recoveryCodes).set({ usedAt: deps.clock.now() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, sha256Hex(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id })
  return used !== undefined
}

/** The second sign-in step: the challenge from login plus a code → a session. Wrong codes count like wrong passwords. */
export async function verifyTwoFactor(
  deps: Deps,
  input: TwoFactorVerifyInput,
  client: SignInClient,
  throttle: LoginThrottle = loginThrottle,
): Promise<{ user: User, session: IssuedSession }> {
  const user = await openChallenge(deps, input.challenge)
  throttle.check(user.email, client.ip)
  if (!(await consumeCode(deps, user.id, input.code))) {
    throttle.failed(user.email, client.ip)
    throw new Unauthorized('That code is not valid (or was already used)')
  }
  throttle.succeeded(user.email)
  return { user, session: await issueSession(deps, user.id, client) }
}

/** Turns two-factor off with the password (403 when wrong) and a current code (400 when wrong). */
export async function disableTwoFactor(deps: Deps, user: User, sessionId: string, input: TwoFactorDisableInput, ip: string, throttle: LoginThrottle = loginThrottle): Promise<void> {
  const state = await loadState(deps, user.id)
  if (!state?.enabledAt) throw new Conflict('Two-factor sign-in is not on')
  await assertPassword(deps, user, input.password, ip, throttle)
  if (!(await consumeCode(deps, user.id, input.code))) {
    throttle.failed(user.email, ip)
    throw wrongCode('is not a current code from your authenticator app or an unused recovery code')
  }
  await deps.db.transaction(async (tx) => {
    await tx.delete(twoFactor).where(eq(twoFactor.userId, user.id))
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id))
    // Whoever signed in elsewhere did so with the second factor that is now gone.
    await revokeOtherSessions({ ...deps, db: tx }, user.id, sessionId)
  })
}
