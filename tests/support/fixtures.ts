import { inject } from 'vitest'
import { openDb, type DbHandle } from '../../server/db'
import { createLicense } from '../../server/domains/licenses/licenses'
import { createUser } from '../../server/domains/auth/users'
import type { License, User } from '../../server/db/schema'
import { call, fakeIp } from './http'
import { testKeys } from './keys'

let shared: Promise<DbHandle> | undefined

/** A connection to the database of the server under test, for arranging data and asserting effects. */
export function serverDb(): Promise<DbHandle> {
  shared ??= openDb({ databaseUrl: inject('databaseUrl'), maxConnections: 5 })
  return shared
}

export function uniqueEmail(tag = 'owner'): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.test`
}

export interface Owner {
  user: User
  email: string
  password: string
  licenses: License[]
  /** Session JWT from a real sign-in. */
  token: string
}

/** A signed-in owner with `licenseCount` licenses, created through the services and the login API. */
export async function createOwner(licenseCount = 1, tag = 'owner'): Promise<Owner> {
  const { db } = await serverDb()
  const email = uniqueEmail(tag)
  const password = 'correct horse battery'
  const user = await createUser(db, { email, password })
  const licenses: License[] = []
  for (let i = 0; i < licenseCount; i++) {
    const { license } = await createLicense(db, testKeys.seal, { userId: user.id, email, hostname: `mc${i}.${tag}.example.net` })
    licenses.push(license)
  }
  const res = await call<{ token: string }>('/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': fakeIp() } })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`)
  return { user, email, password, licenses, token: res.body.token }
}
