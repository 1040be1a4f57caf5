import { and, eq, isNotNull } from 'drizzle-orm'
import { twoFactor, users, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { open, seal, sha256Hex } from '../../platform/crypto'
import { Unauthorized } from '../../platform/errors'
import { issueSession, type IssuedSession, type SessionClient } from './sessions'
import { LOGIN_CHALLENGE_TTL_SECONDS } from '../../../shared/contracts/limits'

// The last step of every sign-in (password, reset link): a session, or with two-factor on, a
// challenge that only /api/auth/2fa/verify with a code turns into one.

export type SignInOutcome =
  | { kind: 'session', user: User, session: IssuedSession }
  | { kind: 'challenge', user: User, challenge: string }

const CHALLENGE_AAD = 'login-challenge'

/** Ties a challenge to the password it was earned with: changing the password voids it. */
const passwordFingerprint = (user: User) => sha256Hex(user.passwordHash ?? '').slice(0, 16)

interface ChallengeClaims { u: string, e: number, p: string }

export async function hasTwoFactor(deps: Deps, userId: string): Promise<boolean> {
  const [row] = await deps.db.select({ userId: twoFactor.userId }).from(twoFactor).where(and(eq(twoFactor.userId, userId), isNotNull(twoFactor.enabledAt)))
  return row !== undefined
}

/** Sealed with AES-GCM: opaque to the client, bound to the user and the password, 5 minutes. */
export function createChallenge(deps: Deps, user: User): string {
  const claims: ChallengeClaims = { u: user.id, e: deps.clock.now().getTime() + LOGIN_CHALLENGE_TTL_SECONDS * 1000, p: passwordFingerprint(user) }
  return seal(deps.keys.seal, JSON.stringify(claims), CHALLENGE_AAD)
}

const EXPIRED = 'This sign-in expired or is not valid: sign in with your password again'

/** The user a challenge was issued to; 401 when forged, expired or the password changed since. */
export async function openChallenge(deps: Deps, challenge: string): Promise<User> {
  let claims: Partial<ChallengeClaims>
  try {
    claims = JSON.parse(open(deps.keys.seal, challenge, CHALLENGE_AAD)) as Partial<ChallengeClaims>
  }
  catch {
    throw new Unauthorized(EXPIRED)
  }
  if (typeof claims.u !== 'string' || typeof claims.e !== 'number' || claims.e <= deps.clock.now().getTime()) throw new Unauthorized(EXPIRED)
  const [user] = await deps.db.select().from(users).where(eq(users.id, claims.u))
  if (!user || passwordFingerprint(user) !== claims.p) throw new Unauthorized(EXPIRED)
  return user
}

export async function signIn(deps: Deps, user: User, client: SessionClient): Promise<SignInOutcome> {
  if (await hasTwoFactor(deps, user.id)) return { kind: 'challenge', user, challenge: createChallenge(deps, user) }
  return { kind: 'session', user, session: await issueSession(deps, user.id, client) }
}
