import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { users, type User } from '../../db/schema'
import { hashPassword } from '../../platform/crypto'
import { Conflict } from '../../platform/errors'

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()))
  return user
}

export async function findUserById(db: Db, userId: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, userId))
  return user
}

/** Creates a user with a password; 409 when the email is taken. */
export async function createUser(db: Db, input: { email: string, password: string }): Promise<User> {
  const passwordHash = await hashPassword(input.password)
  const [user] = await db.insert(users)
    .values({ email: input.email.toLowerCase(), passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning()
  if (!user) throw new Conflict('A user with this email already exists', { field: 'email' })
  return user
}

/** Finds or creates (without a password) the user for `email`; safe under concurrency. */
export async function findOrCreateUserByEmail(db: Db, email: string): Promise<User> {
  const normalized = email.toLowerCase()
  const [created] = await db.insert(users).values({ email: normalized }).onConflictDoNothing({ target: users.email }).returning()
  if (created) return created
  const [existing] = await db.select().from(users).where(eq(users.email, normalized))
  if (!existing) throw new Error('user vanished between insert and select')
  return existing
}

export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password)
  await db.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, userId))
}

/** The only shape of a user that leaves the server. */
export function presentUser(user: Pick<User, 'id' | 'email'>) {
  return { id: user.id, email: user.email }
}
