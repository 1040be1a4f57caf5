import type { User } from '../../server/db/schema'
import { createUser } from '../../server/domains/auth/users'
import { createLicense, type CreatedLicense } from '../../server/domains/licenses/licenses'
import type { Deps } from '../../server/platform/deps'

let counter = 0

/** A new owner (with a password) and one license, made through the domain functions. */
export async function createOwnerLicense(deps: Deps, tag = 'owner'): Promise<CreatedLicense & { user: User }> {
  const n = `${++counter}-${Math.random().toString(36).slice(2, 8)}`
  const user = await createUser(deps, { email: `${tag}-${n}@example.com`, password: 'correct horse battery' })
  const created = await createLicense(deps, { userId: user.id, email: user.email, hostname: `${tag}${n}.example.net` })
  return { ...created, user }
}
