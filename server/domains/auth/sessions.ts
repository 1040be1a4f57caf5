import { and, eq, gt, isNull } from 'drizzle-orm'
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { sessions, users, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { Unauthorized } from '../../platform/errors'
import { SESSION_TTL_SECONDS } from '../../../shared/contracts/limits'
import { UUID_RE } from '../../../shared/rules/uuid'

const ISSUER = 'cairn'
const AUDIENCE = 'cairn-panel'

export interface IssuedSession {
  token: string
  sessionId: string
  expiresAt: Date
}

/** Creates a revocable session row and its HS256 JWT (`sid` claim points at the row). */
export async function issueSession(deps: Deps, userId: string): Promise<IssuedSession> {
  const now = deps.clock.now()
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000)
  const [session] = await deps.db.insert(sessions).values({ userId, createdAt: now, expiresAt }).returning({ id: sessions.id })
  if (!session) throw new Error('session insert returned nothing')
  const token = await new SignJWT({ sid: session.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(deps.keys.session)
  return { token, sessionId: session.id, expiresAt }
}

export interface VerifiedSession {
  user: User
  sessionId: string
}

/** Verifies signature, expiry and that the session row is still live; 401 otherwise. */
export async function verifySession(deps: Deps, token: string): Promise<VerifiedSession> {
  let sub: string | undefined
  let sid: unknown
  try {
    const { payload } = await jwtVerify(token, deps.keys.session, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: deps.clock.now(),
    })
    sub = payload.sub
    sid = payload.sid
  }
  catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new Unauthorized('Session expired, sign in again')
    throw new Unauthorized('Invalid session token')
  }
  if (typeof sub !== 'string' || typeof sid !== 'string' || !UUID_RE.test(sid) || !UUID_RE.test(sub)) {
    throw new Unauthorized('Invalid session token')
  }
  const [row] = await deps.db.select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sid), eq(sessions.userId, sub), isNull(sessions.revokedAt), gt(sessions.expiresAt, deps.clock.now())))
  if (!row) throw new Unauthorized('Session expired, sign in again')
  return { user: row.user, sessionId: sid }
}

export async function revokeSession(deps: Deps, sessionId: string): Promise<void> {
  await deps.db.update(sessions).set({ revokedAt: deps.clock.now() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
}

