import { eq } from 'drizzle-orm'
import { passwordResetTokens, users, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { hashPassword, randomToken, sha256Hex, verifyPassword } from '../../platform/crypto'
import { Forbidden, RateLimited } from '../../platform/errors'
import { AccountAndIpLimiter } from '../../platform/rate-limit'
import { enqueueMail, type MailRenderer } from '../mail/outbox'
import { passwordResetMail } from './mails'
import { loginThrottle, type LoginThrottle } from './login'
import { revokeOtherSessions, type SessionClient } from './sessions'
import { signIn, type SignInOutcome } from './sign-in'
import { setPasswordByLink } from './users'
import type { PasswordChangeInput, PasswordResetConfirmInput, PasswordResetRequestInput } from '../../../shared/contracts/account'
import { PASSWORD_RESET_REQUESTS_PER_EMAIL, PASSWORD_RESET_REQUESTS_PER_IP, PASSWORD_RESET_TTL_MINUTES } from '../../../shared/contracts/limits'

/** Reset requests drain one bucket per address (known or not, so a 429 reveals nothing) and one per IP. */
export const resetRequestThrottle = (now?: () => number) => new AccountAndIpLimiter(PASSWORD_RESET_REQUESTS_PER_EMAIL, PASSWORD_RESET_REQUESTS_PER_IP, now)

const resetThrottle = resetRequestThrottle()

/**
 * Queues the reset mail. The request path does exactly the same for every address (one insert):
 * whether the address belongs to anyone is decided later by the mail worker, so neither the
 * answer nor its timing tells a caller which emails have accounts.
 */
export async function requestPasswordReset(deps: Deps, input: PasswordResetRequestInput, ip: string, throttle: AccountAndIpLimiter = resetThrottle): Promise<void> {
  const wait = throttle.take(input.email, ip)
  if (wait > 0) throw new RateLimited(wait, 'Too many password reset requests, try again later')
  await enqueueMail(deps, 'password_reset', { email: input.email })
}

/** The mail worker's half: a token and its mail for a known address; nothing for an unknown one. */
export const renderPasswordReset: MailRenderer = async (deps, request) => {
  const email = typeof request.email === 'string' ? request.email : ''
  const [user] = await deps.db.select().from(users).where(eq(users.email, email))
  if (!user) return null
  const token = randomToken(32)
  const now = deps.clock.now()
  await deps.db.insert(passwordResetTokens).values({
    userId: user.id,
    tokenHash: sha256Hex(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MINUTES * 60_000),
  })
  return passwordResetMail(user.email, `${deps.env.publicUrl}/reset/${token}`)
}

/**
 * Spends a reset link: sets the password, ends every session and every other outstanding
 * reset or claim link of the user, then signs in (or asks for the second factor).
 */
export async function confirmPasswordReset(deps: Deps, input: PasswordResetConfirmInput, client: SessionClient): Promise<SignInOutcome> {
  const user = await setPasswordByLink(deps, 'reset', input, async (_tx, user) => user)
  return signIn(deps, user, client)
}

/** Checks the current password (403 when wrong, rate limited like sign-in) and sets the new one. */
export async function assertPassword(deps: Deps, user: User, password: string, ip: string, throttle: LoginThrottle = loginThrottle): Promise<void> {
  throttle.check(user.email, ip)
  const ok = user.passwordHash ? await verifyPassword(password, user.passwordHash) : false
  if (!ok) {
    throttle.failed(user.email, ip)
    throw new Forbidden('The current password is wrong')
  }
}

/** Changes the password of a signed-in user; every other session ends. Returns how many did. */
export async function changePassword(deps: Deps, user: User, sessionId: string, input: PasswordChangeInput, ip: string, throttle: LoginThrottle = loginThrottle): Promise<number> {
  await assertPassword(deps, user, input.current_password, ip, throttle)
  const passwordHash = await hashPassword(input.new_password)
  return deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: deps.clock.now() }).where(eq(users.id, user.id))
    return revokeOtherSessions({ ...deps, db: tx }, user.id, sessionId)
  })
}
