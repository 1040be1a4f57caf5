import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DomainError } from '../../server/platform/errors'
import { createLicense } from '../../server/domains/licenses/licenses'
import { createUser } from '../../server/domains/auth/users'
import { listTransactions } from '../../server/domains/webstore/transactions'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { testKeys } from '../support/keys'

let tdb: TestDatabase
beforeAll(async () => {
  tdb = await createTestDatabase()
})
afterAll(async () => {
  await tdb?.close()
})

const cursor = (createdAt: string) => Buffer.from(`${createdAt}|00000000-0000-4000-8000-000000000000`, 'utf8').toString('base64url')

describe('transaction cursor', () => {
  it('refuses a well-formed cursor naming a date PostgreSQL rejects as a 400, not a database error', async () => {
    const db = tdb.handle.db
    const user = await createUser(db, { email: `cursor-${Date.now()}@example.com`, password: 'correct horse battery' })
    const { license } = await createLicense(db, testKeys.seal, { userId: user.id, email: user.email, hostname: 'cursor.example.net' })
    for (const at of ['2024-02-30T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2024-01-01T24:00:00.000000Z']) {
      const error = await listTransactions(db, license.id, { cursor: cursor(at) }).then(() => undefined, (e: unknown) => e)
      expect(error, at).toBeInstanceOf(DomainError)
      expect((error as DomainError).statusCode).toBe(400)
    }
    const ok = await listTransactions(db, license.id, { cursor: cursor('2024-02-29T23:59:59.123456Z') })
    expect(ok).toEqual({ rows: [], nextCursor: null })
  })
})
