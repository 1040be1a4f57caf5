import { describe, expect, it } from 'vitest'
import { createLicense, findLicenseByCompanionToken, findUserLicense, listUsableLicenses, openCompanionToken, presentLicense } from '../../server/domains/licenses/licenses'
import { sha256Hex } from '../../server/platform/crypto'
import { createUser } from '../../server/domains/auth/users'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_licenses')

describe('licenses', () => {
  it('issues a well-formed key and a companion token stored only as hash + sealed copy', async () => {
    const user = await createUser(t.deps, { email: 'l1@example.com', password: 'correct horse battery' })
    const { license, companionToken } = await createLicense(t.deps, { userId: user.id, email: user.email, hostname: 'mc.example.net' })
    expect(license.licenseKey).toMatch(/^CAIRN(-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{5}){4}$/)
    expect(companionToken).toMatch(/^cairn_agent_[A-Za-z0-9_-]{32,}$/)
    expect(license.companionTokenHash).toBe(sha256Hex(companionToken))
    expect(license.companionTokenSealed).not.toContain(companionToken)
    expect(openCompanionToken(t.deps, license)).toBe(companionToken)
    const view = presentLicense(t.deps.env, license, { customerEmail: user.email, companionToken })
    expect(view).toMatchObject({ subdomain: 'mc-example-net', status: 'active', store_url: 'https://mc-example-net.store.example.test' })
    expect(view.plugin_download_url).toContain(license.licenseKey)
  })

  it('keeps subdomains unique under concurrent creation', async () => {
    const user = await createUser(t.deps, { email: 'l2@example.com', password: 'correct horse battery' })
    const created = await Promise.all(Array.from({ length: 12 }, () =>
      t.db.transaction(tx => createLicense({ ...t.deps, db: tx }, { userId: user.id, email: user.email, hostname: 'play.same.net' }))))
    const subdomains = created.map(c => c.license.subdomain)
    expect(new Set(subdomains).size).toBe(12)
    expect(subdomains).toContain('play-same-net')
    expect(subdomains).toContain('play-same-net-2')
  })

  it('finds only the owner\'s license', async () => {
    const a = await createUser(t.deps, { email: 'l3a@example.com', password: 'correct horse battery' })
    const b = await createUser(t.deps, { email: 'l3b@example.com', password: 'correct horse battery' })
    const { license } = await createLicense(t.deps, { userId: a.id, email: a.email })
    await expect(findUserLicense(t.deps, b.id, license.id)).rejects.toMatchObject({ statusCode: 404 })
    expect((await findUserLicense(t.deps, a.id, license.id)).id).toBe(license.id)
    expect(await listUsableLicenses(t.deps, b.id)).toEqual([])
  })

  it('finds a license by its companion token and nothing for any other token', async () => {
    const user = await createUser(t.deps, { email: 'l4@example.com', password: 'correct horse battery' })
    const { license, companionToken } = await createLicense(t.deps, { userId: user.id, email: user.email, hostname: 'agent.example.net' })
    expect((await findLicenseByCompanionToken(t.deps, companionToken))?.id).toBe(license.id)
    expect(await findLicenseByCompanionToken(t.deps, `${companionToken}x`)).toBeUndefined()
  })
})
