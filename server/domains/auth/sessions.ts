import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm'
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { sessions, users, type Session, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { NotFound, Unauthorized } from '../../platform/errors'
import { SESSION_LAST_SEEN_RESOLUTION_SECONDS, SESSION_TTL_SECONDS, USER_AGENT_MAX_LENGTH } from '../../../shared/contracts/limits'
import type { SessionView } from '../../../shared/contracts/account'
import { UUID_RE } from '../../../shared/rules/uuid'

const ISSUER = 'cairn'
const AUDIENCE = 'cairn-panel'

export interface IssuedSession {
  token: string
  sessionId: string
  expiresAt: Date
}

/** Where a session was opened from, shown in the owner's session list. */
export interface SessionClient {
  ip: string | null
  userAgent: string | null
}

/** Creates a revocable session row and its HS256 JWT (`sid` claim points at the row). */
export async function issueSession(deps: Deps, userId: string, client: SessionClient = { ip: null, userAgent: null }): Promise<IssuedSession> {
  const now = deps.clock.now()
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000)
  const [session] = await deps.db.insert(sessions).values({
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
  }).returning({ id: sessions.id })
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
  const now = deps.clock.now()
  const [row] = await deps.db.select({ user: users, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sid), eq(sessions.userId, sub), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
  if (!row) throw new Unauthorized('Session expired, sign in again')
  // One write a minute at most per session, not one per request.
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_LAST_SEEN_RESOLUTION_SECONDS * 1000) {
    await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sid))
  }
  return { user: row.user, sessionId: sid }
}

export async function revokeSession(deps: Deps, sessionId: string): Promise<void> {
  await deps.db.update(sessions).set({ revokedAt: deps.clock.now() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
}

/** The user's live sessions, most recently used first. */
export async function listSessions(deps: Deps, userId: string, currentSessionId: string): Promise<SessionView[]> {
  const rows = await deps.db.select().from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, deps.clock.now())))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt))
  return rows.map(row => presentSession(row, currentSessionId))
}

export function presentSession(row: Session, currentSessionId: string): SessionView {
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    last_seen_at: row.lastSeenAt.toISOString(),
    ip: row.ip,
    user_agent: row.userAgent,
    current: row.id === currentSessionId,
  }
}

/** Ends one of the user's own live sessions; someone else's (or an ended one) is a 404. */
export async function revokeUserSession(deps: Deps, userId: string, sessionId: string): Promise<void> {
  const [row] = await deps.db.update(sessions).set({ revokedAt: deps.clock.now() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, deps.clock.now())))
    .returning({ id: sessions.id })
  if (!row) throw new NotFound('Session')
}

/** Revokes every live session of the user except `keepSessionId` (all of them when null); returns how many. */
export async function revokeOtherSessions(deps: Deps, userId: string, keepSessionId: string | null): Promise<number> {
  const rows = await deps.db.update(sessions).set({ revokedAt: deps.clock.now() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), ...(keepSessionId ? [ne(sessions.id, keepSessionId)] : [])))
    .returning({ id: sessions.id })
  return rows.length
}
