import { and, eq, gt, inArray, isNull } from 'drizzle-orm'
import { claimTokens, passwordResetTokens, users, type User } from '../../db/schema'
import { hashPassword, sha256Hex } from '../../platform/crypto'
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

const LINKS = { claim: claimTokens, reset: passwordResetTokens } as const

/** A claim or reset link that is unknown, used or expired: 400 naming `token`. */
function spentLink(what: keyof typeof LINKS): InvalidInput {
  return new InvalidInput([{ path: 'token', message: 'this link has expired or was already used' }], `This ${what} link has expired or was already used`)
}

/**
 * Spends a single-use claim or reset link and sets the user's password, in one transaction: the
 * token is consumed by a conditional update, so two concurrent uses cannot both succeed; every
 * other outstanding claim or reset link of the user dies and every session ends. `then` runs in
 * the same transaction (a claim signs in there). 400 naming `token` when the link is spent.
 */
export async function setPasswordByLink<K extends keyof typeof LINKS, R>(
  deps: Deps,
  what: K,
  input: { token: string, password: string },
  then: (tx: Deps, user: User, link: (typeof LINKS)[K]['$inferSelect']) => Promise<R>,
): Promise<R> {
  const table: (typeof LINKS)[keyof typeof LINKS] = LINKS[what]
  const now = deps.clock.now()
  const passwordHash = await hashPassword(input.password)
  const result = await deps.db.transaction(async (t) => {
    const tx = { ...deps, db: t }
    const [link] = await t.update(table).set({ usedAt: now })
      .where(and(eq(table.tokenHash, sha256Hex(input.token)), isNull(table.usedAt), gt(table.expiresAt, now)))
      .returning()
    if (!link) return undefined
    const [user] = await t.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, link.userId)).returning()
    if (!user) return undefined
    await t.update(claimTokens).set({ usedAt: now }).where(and(eq(claimTokens.userId, user.id), isNull(claimTokens.usedAt)))
    await t.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, user.id), isNull(passwordResetTokens.usedAt)))
    await revokeOtherSessions(tx, user.id, null)
    return { value: await then(tx, user, link as (typeof LINKS)[K]['$inferSelect']) }
  })
  if (!result) throw spentLink(what)
  return result.value
}
