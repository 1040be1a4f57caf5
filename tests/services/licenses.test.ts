import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { testKeys } from '../support/keys'
import { createLicense, findUserLicense, listUsableLicenses, openCompanionToken, presentLicense } from '../../server/domains/licenses/licenses'
import { sha256Hex } from '../../server/platform/crypto'
import { createUser } from '../../server/domains/auth/users'
import { loadEnv } from '../../server/platform/env'

let tdb: TestDatabase
beforeAll(async () => {
  tdb = await createTestDatabase()
})
afterAll(async () => {
  await tdb?.close()
})

describe('licenses', () => {
  it('issues a well-formed key and a companion token stored only as hash + sealed copy', async () => {
    const user = await createUser(tdb.handle.db, { email: 'l1@example.com', password: 'correct horse battery' })
    const { license, companionToken } = await createLicense(tdb.handle.db, testKeys.seal, { userId: user.id, email: user.email, hostname: 'mc.example.net' })
    expect(license.licenseKey).toMatch(/^CAIRN(-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{5}){4}$/)
    expect(companionToken).toMatch(/^cairn_agent_[A-Za-z0-9_-]{32,}$/)
    expect(license.companionTokenHash).toBe(sha256Hex(companionToken))
    expect(license.companionTokenSealed).not.toContain(companionToken)
    expect(openCompanionToken(testKeys.seal, license)).toBe(companionToken)
    const view = presentLicense(loadEnv({}), license, { customerEmail: user.email, companionToken })
    expect(view).toMatchObject({ subdomain: 'mc-example-net', status: 'active', store_url: 'http://mc-example-net.store.localhost:3000' })
    expect(view.plugin_download_url).toContain(license.licenseKey)
  })

  it('keeps subdomains unique under concurrent creation', async () => {
    const user = await createUser(tdb.handle.db, { email: 'l2@example.com', password: 'correct horse battery' })
    const created = await Promise.all(Array.from({ length: 12 }, () =>
      tdb.handle.db.transaction(tx => createLicense(tx, testKeys.seal, { userId: user.id, email: user.email, hostname: 'play.same.net' }))))
    const subdomains = created.map(c => c.license.subdomain)
    expect(new Set(subdomains).size).toBe(12)
    expect(subdomains).toContain('play-same-net')
    expect(subdomains).toContain('play-same-net-2')
  })

  it('finds only the owner\'s license', async () => {
    const a = await createUser(tdb.handle.db, { email: 'l3a@example.com', password: 'correct horse battery' })
    const b = await createUser(tdb.handle.db, { email: 'l3b@example.com', password: 'correct horse battery' })
    const { license } = await createLicense(tdb.handle.db, testKeys.seal, { userId: a.id, email: a.email })
    await expect(findUserLicense(tdb.handle.db, b.id, license.id)).rejects.toMatchObject({ statusCode: 404 })
    expect((await findUserLicense(tdb.handle.db, a.id, license.id)).id).toBe(license.id)
    expect(await listUsableLicenses(tdb.handle.db, b.id)).toEqual([])
  })
})
