import { eq } from 'drizzle-orm'
import { users, type User } from '../../db/schema'
import type { ClaimInput, LoginInput } from '../../../shared/contracts/auth'
import { SIGN_IN_FAILURES_PER_EMAIL, SIGN_IN_FAILURES_PER_IP } from '../../../shared/contracts/limits'
import type { Deps } from '../../platform/deps'
import { dummyPasswordHash, verifyPassword } from '../../platform/crypto'
import { RateLimited, Unauthorized } from '../../platform/errors'
import { AccountAndIpLimiter } from '../../platform/rate-limit'
import { issueSession, type IssuedSession, type SessionClient } from './sessions'
import { hasTwoFactor, signIn, type SignInOutcome } from './sign-in'
import { setPasswordByLink } from './users'

/** Who is signing in from where: the IP keys the throttle, both are shown in the session list. */
export interface SignInClient extends SessionClient {
  ip: string
}

/**
 * Failed sign-ins drain two buckets, one per email and one per client IP (shared behind NAT, so
 * it is larger). An empty bucket answers 429 before the password is even checked.
 */
export class LoginThrottle {
  private readonly buckets: AccountAndIpLimiter
  /** `now` in milliseconds: the system clock unless a test pins it. */
  constructor(now?: () => number) {
    this.buckets = new AccountAndIpLimiter(SIGN_IN_FAILURES_PER_EMAIL, SIGN_IN_FAILURES_PER_IP, now)
  }

  check(email: string, ip: string): void {
    const wait = this.buckets.peek(email, ip)
    if (wait > 0) throw new RateLimited(wait, 'Too many failed sign-in attempts, try again later')
  }

  failed(email: string, ip: string): void {
    this.buckets.take(email, ip)
  }

  succeeded(email: string): void {
    this.buckets.reset(email)
  }
}

/** One per process, like the purchase limiter: its buckets live in memory. Second-factor codes and current-password checks drain the same buckets. */
export const loginThrottle = new LoginThrottle()

const INVALID_LOGIN = 'Invalid email or password'

export async function login(
  deps: Deps,
  input: LoginInput,
  client: SignInClient,
  throttle: LoginThrottle = loginThrottle,
): Promise<SignInOutcome> {
  const email = input.email.toLowerCase()
  const { ip } = client
  throttle.check(email, ip)
  const [user] = await deps.db.select().from(users).where(eq(users.email, email))
  // Same work and same answer whether the email is unknown, unclaimed or the password wrong.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? await dummyPasswordHash())
  if (!user || !user.passwordHash || !ok) {
    throttle.failed(email, ip)
    throw new Unauthorized(INVALID_LOGIN)
  }
  // With two-factor on, only the second step clears the failures: else a known password would
  // refill the bucket between rounds of code guesses.
  if (await hasTwoFactor(deps, user.id)) return signIn(deps, user, client)
  throttle.succeeded(email)
  return { kind: 'session', user, session: await issueSession(deps, user.id, client) }
}

/** Spends a claim token: sets the password and signs the user in (setPasswordByLink). */
export async function claim(
  deps: Deps,
  input: ClaimInput,
  client?: SessionClient,
): Promise<{ user: User, session: IssuedSession, licenseId: string | null }> {
  return setPasswordByLink(deps, 'claim', input, async (tx, user, link) => {
    const session = await issueSession(tx, user.id, client)
    return { user, session, licenseId: link.licenseId }
  })
}
