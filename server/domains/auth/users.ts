import { eq } from 'drizzle-orm'
import { users, type User } from '../../db/schema'
import { hashPassword } from '../../platform/crypto'
import type { Deps } from '../../platform/deps'
import { Conflict } from '../../platform/errors'
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
  const normalized = email.toLowerCase()
  const [created] = await deps.db.insert(users).values({ email: normalized }).onConflictDoNothing({ target: users.email }).returning()
  if (created) return created
  const [existing] = await deps.db.select().from(users).where(eq(users.email, normalized))
  if (!existing) throw new Error('user vanished between insert and select')
  return existing
}

/** The only shape of a user that leaves the server. */
export function presentUser(user: Pick<User, 'id' | 'email'>): UserView {
  return { id: user.id, email: user.email }
}
