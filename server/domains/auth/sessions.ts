import { and, eq, gt, isNull } from 'drizzle-orm'
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import type { Db } from '../../db'
import { sessions, users, type User } from '../../db/schema'
import type { Clock } from '../../platform/clock'
import { Unauthorized } from '../../platform/errors'
import { UUID_RE } from '../../platform/validation'

export const SESSION_TTL_SECONDS = 12 * 60 * 60
const ISSUER = 'cairn'
const AUDIENCE = 'cairn-panel'

export interface IssuedSession {
  token: string
  sessionId: string
  expiresAt: Date
}

/** Creates a revocable session row and its HS256 JWT (`sid` claim points at the row). */
export async function issueSession(db: Db, key: Uint8Array, userId: string, clock: Clock): Promise<IssuedSession> {
  const now = clock.now()
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000)
  const [session] = await db.insert(sessions).values({ userId, createdAt: now, expiresAt }).returning({ id: sessions.id })
  if (!session) throw new Error('session insert returned nothing')
  const token = await new SignJWT({ sid: session.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key)
  return { token, sessionId: session.id, expiresAt }
}

export interface VerifiedSession {
  user: User
  sessionId: string
}

/** Verifies signature, expiry and that the session row is still live; 401 otherwise. */
export async function verifySession(db: Db, key: Uint8Array, token: string, clock: Clock): Promise<VerifiedSession> {
  let sub: string | undefined
  let sid: unknown
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: clock.now(),
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
  const [row] = await db.select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sid), eq(sessions.userId, sub), isNull(sessions.revokedAt), gt(sessions.expiresAt, clock.now())))
  if (!row) throw new Unauthorized('Session expired, sign in again')
  return { user: row.user, sessionId: sid }
}

export async function revokeSession(db: Db, sessionId: string, clock: Clock): Promise<void> {
  await db.update(sessions).set({ revokedAt: clock.now() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
}

