import { and, eq, gt, isNull } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { claimTokens, users, type User } from '../../db/schema'
import type { Clock } from '../../platform/clock'
import { dummyPasswordHash, hashPassword, sha256Hex, verifyPassword } from '../../platform/crypto'
import { InvalidInput, RateLimited, Unauthorized } from '../../platform/errors'
import { TokenBucketLimiter } from '../../platform/rate-limit'
import { issueSession, type IssuedSession } from './sessions'
import { emailSchema, passwordSchema, text } from '../../platform/validation'

export const loginSchema = z.object({
  email: text().trim().min(1, 'is required').max(254, 'must be at most 254 characters'),
  password: text().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
})

export const claimSchema = z.object({
  token: text().min(16, 'is not a valid claim token').max(128, 'is not a valid claim token').regex(/^[A-Za-z0-9_-]+$/, 'is not a valid claim token'),
  password: passwordSchema,
})

export const createUserSchema = z.object({ email: emailSchema, password: passwordSchema })

/**
 * Failed sign-ins drain two buckets: one per email (5, refilling one per 3 minutes) and one per
 * client IP (100, one per 10 s: addresses are shared behind NAT). An empty bucket answers 429
 * before the password is even checked.
 */
export class LoginThrottle {
  private readonly byEmail: TokenBucketLimiter
  private readonly byIp: TokenBucketLimiter
  constructor(now: () => number = Date.now) {
    this.byEmail = new TokenBucketLimiter(1 / 180, 5, now)
    this.byIp = new TokenBucketLimiter(1 / 10, 100, now)
  }

  check(email: string, ip: string): void {
    const wait = Math.max(this.byEmail.peek(email), this.byIp.peek(ip))
    if (wait > 0) throw new RateLimited(wait, 'Too many failed sign-in attempts, try again later')
  }

  failed(email: string, ip: string): void {
    this.byEmail.take(email)
    this.byIp.take(ip)
  }

  succeeded(email: string): void {
    this.byEmail.reset(email)
  }
}

const INVALID_LOGIN = 'Invalid email or password'

export async function login(
  deps: { db: Db, sessionKey: Uint8Array, clock: Clock, throttle: LoginThrottle },
  input: z.infer<typeof loginSchema>,
  ip: string,
): Promise<{ user: User, session: IssuedSession }> {
  const email = input.email.toLowerCase()
  deps.throttle.check(email, ip)
  const [user] = await deps.db.select().from(users).where(eq(users.email, email))
  // Same work and same answer whether the email is unknown, unclaimed or the password wrong.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? await dummyPasswordHash())
  if (!user || !user.passwordHash || !ok) {
    deps.throttle.failed(email, ip)
    throw new Unauthorized(INVALID_LOGIN)
  }
  deps.throttle.succeeded(email)
  const session = await issueSession(deps.db, deps.sessionKey, user.id, deps.clock)
  return { user, session }
}

/**
 * Spends a claim token: sets the password and signs the user in. The token is consumed by a
 * conditional update, so two concurrent claims cannot both succeed.
 */
export async function claim(
  deps: { db: Db, sessionKey: Uint8Array, clock: Clock },
  input: z.infer<typeof claimSchema>,
): Promise<{ user: User, session: IssuedSession, licenseId: string | null }> {
  const now = deps.clock.now()
  const passwordHash = await hashPassword(input.password)
  const result = await deps.db.transaction(async (tx) => {
    const [spent] = await tx.update(claimTokens).set({ usedAt: now })
      .where(and(eq(claimTokens.tokenHash, sha256Hex(input.token)), isNull(claimTokens.usedAt), gt(claimTokens.expiresAt, now)))
      .returning()
    if (!spent) return undefined
    const [user] = await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, spent.userId)).returning()
    if (!user) return undefined
    // Any other outstanding claim links for this user die with this one.
    await tx.update(claimTokens).set({ usedAt: now }).where(and(eq(claimTokens.userId, user.id), isNull(claimTokens.usedAt)))
    const session = await issueSession(tx, deps.sessionKey, user.id, deps.clock)
    return { user, session, licenseId: spent.licenseId }
  })
  if (!result) throw new InvalidInput([{ path: 'token', message: 'this link has expired or was already used' }], 'This claim link has expired or was already used')
  return result
}
