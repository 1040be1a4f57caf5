import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLicense, findLicenseByCompanionToken } from '../../server/domains/licenses/licenses'
import { createUser } from '../../server/domains/auth/users'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { testKeys } from '../support/keys'

let tdb: TestDatabase
beforeAll(async () => {
  tdb = await createTestDatabase()
})
afterAll(async () => {
  await tdb?.close()
})

describe('findLicenseByCompanionToken', () => {
  it('finds the license by its companion token and nothing for any other token', async () => {
    const db = tdb.handle.db
    const user = await createUser(db, { email: `agent-${Date.now()}@example.com`, password: 'correct horse battery' })
    const { license, companionToken } = await createLicense(db, testKeys.seal, { userId: user.id, email: user.email, hostname: 'agent.example.net' })
    expect((await findLicenseByCompanionToken(db, companionToken))?.id).toBe(license.id)
    expect(await findLicenseByCompanionToken(db, `${companionToken}x`)).toBeUndefined()
  })
})
