import { hashPassword } from '../../platform/crypto'
import type { Deps } from '../../platform/deps'
import { createLicense } from '../licenses/licenses'
import { seedDemoHost } from '../hosts/hosts'
import { users } from '../../db/schema'
import { seedWebstoreDemo } from './store'
import { publishDemoModule } from './module'

export const DEMO_EMAIL = 'demo@cairn.local'
export const DEMO_PASSWORD = 'cairn-demo-2026'

/**
 * The demo owner's password hash (scrypt, on libuv's thread pool): start-up begins it while a
 * fresh database is still being created, so the seed does not wait for it afterwards.
 */
export function hashDemoPassword(): Promise<string> {
  const hash = hashPassword(DEMO_PASSWORD)
  hash.catch(() => {}) // awaited (and its failure reported) by seedDemo; never an unhandled rejection meanwhile
  return hash
}

/**
 * First start of the embedded database: a demo owner with one license at subdomain `demo`.
 * Does nothing once the demo user exists (or was deleted on purpose and others exist).
 * `passwordHash`: from hashDemoPassword() when start-up began it early; hashed here otherwise.
 */
export async function seedDemo(deps: Deps, passwordHash?: Promise<string>): Promise<boolean> {
  const existing = await deps.db.select({ id: users.id }).from(users).limit(1)
  if (existing.length > 0) return false
  const hash = await (passwordHash ?? hashPassword(DEMO_PASSWORD))
  await deps.db.transaction(async (db) => {
    const tx = { ...deps, db }
    const [user] = await db.insert(users).values({ email: DEMO_EMAIL, passwordHash: hash }).returning()
    if (!user) throw new Error('demo user insert returned nothing')
    const { license } = await createLicense(tx, { userId: user.id, email: user.email, hostname: 'play.example.net', subdomain: 'demo' })
    await seedWebstoreDemo(tx, license.id)
  })
  deps.log.info('demo data created: sign in at /login', { demo_email: DEMO_EMAIL, demo_password: DEMO_PASSWORD })
  await seedDemoHost(deps)
  await publishDemoModule(deps)
  return true
}
