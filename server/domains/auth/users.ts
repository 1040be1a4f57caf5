import { and, eq, inArray, isNull } from 'drizzle-orm'
import { claimTokens, passwordResetTokens, users, type User } from '../../db/schema'
import { hashPassword } from '../../platform/crypto'
import type { Deps } from '../../platform/deps'
import { Conflict, InvalidInput } from '../../platform/errors'
import { revokeOtherSessions } from './sessions'
import type { UserView } from '../../../shared/contracts/auth'

/** Creates a user with a password; 409 when the email is taken. */
export async function createUser(deps: Deps, input: { email: string, password: string }): Promise<User> {
  const passwordHash = await hashPassword(input.password)
  const [user] = await deps.db.insert(users)
    .values({ email: input.email.toLowerCase(), passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning()
  if (!user) throw new Conflict('A user with this email already exists', { field: 'email' })
  return user
}

/** Finds or creates (without a password) the user for `email`; safe under concurrency. */
export async function findOrCreateUserByEmail(deps: Deps, email: string): Promise<User> {
  const user = (await findOrCreateUsersByEmail(deps, [email])).get(email.toLowerCase())
  if (!user) throw new Error('user vanished between insert and select')
  return user
}

/** `findOrCreateUserByEmail` for many emails in two round trips, inserted in sorted order (no deadlocks between bulks). */
export async function findOrCreateUsersByEmail(deps: Deps, emails: string[]): Promise<Map<string, User>> {
  const normalized = [...new Set(emails.map(e => e.toLowerCase()))].sort()
  const byEmail = new Map<string, User>()
  if (normalized.length === 0) return byEmail
  const created = await deps.db.insert(users).values(normalized.map(email => ({ email }))).onConflictDoNothing({ target: users.email }).returning()
  for (const user of created) byEmail.set(user.email, user)
  const missing = normalized.filter(email => !byEmail.has(email))
  if (missing.length > 0) {
    for (const user of await deps.db.select().from(users).where(inArray(users.email, missing))) byEmail.set(user.email, user)
  }
  if (byEmail.size !== normalized.length) throw new Error('user vanished between insert and select')
  return byEmail
}

/** The only shape of a user that leaves the server. */
export function presentUser(user: Pick<User, 'id' | 'email'>): UserView {
  return { id: user.id, email: user.email }
}

/**
 * Sets the password of a user whose single-use link (claim or reset) was just spent, in the
 * caller's transaction: every other outstanding claim or reset link dies and every session ends.
 */
export async function replacePassword(deps: Deps, userId: string, passwordHash: string): Promise<User | undefined> {
  const now = deps.clock.now()
  const [user] = await deps.db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId)).returning()
  if (!user) return undefined
  await deps.db.update(claimTokens).set({ usedAt: now }).where(and(eq(claimTokens.userId, userId), isNull(claimTokens.usedAt)))
  await deps.db.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)))
  await revokeOtherSessions(deps, userId, null)
  return user
}

/** A claim or reset link that is unknown, used or expired: 400 naming `token`. */
export function spentLink(what: 'claim' | 'reset'): InvalidInput {
  return new InvalidInput([{ path: 'token', message: 'this link has expired or was already used' }], `This ${what} link has expired or was already used`)
}
