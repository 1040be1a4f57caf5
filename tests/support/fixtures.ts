import { inject } from 'vitest'
import { openDb, type DbHandle } from '../../server/db'
import { createLicense } from '../../server/domains/licenses/licenses'
import { createUser } from '../../server/domains/auth/users'
import { storeCategories, storeItems, type License, type User } from '../../server/db/schema'
import { call, fakeIp, type RequestOptions } from './http'
import { testDeps } from './deps'
import { publishTestModules } from './modules'

let shared: Promise<DbHandle> | undefined

/** A connection to the database of the server under test, for arranging data and asserting effects. */
export function serverDb(): Promise<DbHandle> {
  shared ??= openDb({ databaseUrl: inject('databaseUrl'), maxConnections: 5 })
  return shared
}

export function uniqueEmail(tag = 'owner'): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.test`
}

export const TEST_PASSWORD = 'correct horse battery'

export interface Account {
  user: User
  email: string
  password: string
  licenses: License[]
  /** Each license's companion token, as provisioning hands it to the server's agent. */
  companionTokens: string[]
}

/** A user with `licenseCount` licenses, written straight into the server's database. */
export async function createAccount(licenseCount = 1, tag = 'owner'): Promise<Account> {
  const { db } = await serverDb()
  const email = uniqueEmail(tag)
  const user = await createUser(testDeps(db), { email, password: TEST_PASSWORD })
  const licenses: License[] = []
  const companionTokens: string[] = []
  for (let i = 0; i < licenseCount; i++) {
    const { license, companionToken } = await createLicense(testDeps(db), { userId: user.id, email, hostname: `mc${i}.${tag}.example.net` })
    licenses.push(license)
    companionTokens.push(companionToken)
  }
  return { user, email, password: TEST_PASSWORD, licenses, companionTokens }
}

export interface Owner extends Account {
  /** Session JWT from a real sign-in. */
  token: string
}

/** A signed-in owner with `licenseCount` licenses, created through the services and the login API. */
export async function createOwner(licenseCount = 1, tag = 'owner'): Promise<Owner> {
  const account = await createAccount(licenseCount, tag)
  const res = await call<{ token: string }>('/api/auth/login', { body: { email: account.email, password: account.password }, headers: { 'x-forwarded-for': fakeIp() } })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`)
  return { ...account, token: res.body.token }
}

/** Two signed-in owners of one license each (`<tag>-alice`, `<tag>-bob`), for tenant-isolation tests. */
export async function twoOwners(tag: string): Promise<{ alice: Owner, bob: Owner }> {
  const [alice, bob] = await Promise.all([createOwner(1, `${tag}-alice`), createOwner(1, `${tag}-bob`)])
  return { alice, bob }
}

type ItemColumns = Partial<Omit<typeof storeItems.$inferInsert, 'licenseId' | 'categoryId'>>

/** twoOwners, and in Alice's store a 'Ranks' category holding one 'VIP' item for 4.99 (`item` overrides its columns). */
export async function twoOwnersWithItem(tag: string, item: ItemColumns = {}): Promise<{ alice: Owner, bob: Owner, licenseId: string, itemId: string }> {
  const { alice, bob } = await twoOwners(tag)
  const { db } = await serverDb()
  const licenseId = alice.licenses[0]!.id
  const [category] = await db.insert(storeCategories).values({ licenseId, name: 'Ranks' }).returning()
  const [row] = await db.insert(storeItems).values({ licenseId, categoryId: category!.id, name: 'VIP', priceCents: 499, commands: [{ command: 'say {player}', require_online: false }], ...item }).returning()
  return { alice, bob, licenseId, itemId: row!.id }
}

/** A signed-in owner's token with its one license and that license's companion token (as provisioning hands it out). */
export interface AgentOwner {
  token: string
  license: License
  companionToken: string
}

export async function agentOwner(tag: string): Promise<AgentOwner> {
  const owner = await createOwner(1, tag)
  return { token: owner.token, license: owner.licenses[0]!, companionToken: owner.companionTokens[0]! }
}

/** agentOwner, once the test modules are in the server's catalog (publishing is idempotent). */
export async function agentOwnerWithModules(tag: string): Promise<AgentOwner> {
  await publishTestModules((await serverDb()).db)
  return agentOwner(tag)
}

/** `extra` sent as `owner` on its license `licenseIndex`, from a client address of its own. */
export function asOwner(owner: Owner, extra: RequestOptions = {}, licenseIndex = 0): RequestOptions {
  return { ...extra, token: owner.token, headers: { 'x-license-id': owner.licenses[licenseIndex]?.id ?? '', 'x-forwarded-for': fakeIp(), ...extra.headers } }
}
