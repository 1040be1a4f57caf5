import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { hostLicenses, licenses } from '../../server/db/schema'
import {
  getHostLicense, listHostLicenses, reactivateHostLicense, revokeHostLicense, suspendHostLicense, updateHostLicense,
} from '../../server/domains/hosts/host-licenses'
import { provisionLicenses } from '../../server/domains/hosts/provisioning'
import { parseInput } from '../../server/platform/validation'
import { listLicensesQuerySchema } from '../../shared/contracts/host'
import { HOST_TEST_TIME, makeHost, server } from '../support/host-fixtures'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_hostlic')

async function setup(n = 1) {
  const deps = t.at(HOST_TEST_TIME)
  const { host } = await makeHost(deps)
  const results = await provisionLicenses(deps, host, { kind: 'bulk', servers: Array.from({ length: n }, (_, i) => server(`${host.id.slice(0, 8)}-${i}`)) })
  return { deps, host, views: results.map(r => r.license) }
}

async function stored(licenseId: string) {
  const [license] = await t.db.select().from(licenses).where(eq(licenses.id, licenseId))
  const [link] = await t.db.select().from(hostLicenses).where(eq(hostLicenses.licenseId, licenseId))
  return { license: license!, link: link! }
}

describe('license lifecycle', () => {
  it('suspend → reactivate → revoke keeps the license row and the host link consistent', async () => {
    const { deps, host, views: [v] } = await setup()
    deps.clock.set('2026-03-16T08:00:00Z')
    const suspended = await suspendHostLicense(deps, host.id, v!.license_id)
    expect(suspended).toMatchObject({ status: 'suspended', suspended_at: '2026-03-16T08:00:00.000Z', companion_token: v!.companion_token })
    let s = await stored(v!.license_id)
    expect(s.license.status).toBe('suspended')
    expect(s.link.suspendedAt?.toISOString()).toBe('2026-03-16T08:00:00.000Z')
    expect(await suspendHostLicense(deps, host.id, v!.license_id)).toEqual(suspended)

    const active = await reactivateHostLicense(deps, host.id, v!.license_id)
    expect(active).toMatchObject({ status: 'active', suspended_at: null })
    s = await stored(v!.license_id)
    expect([s.license.status, s.license.suspendedAt, s.link.suspendedAt]).toEqual(['active', null, null])

    deps.clock.set('2026-03-17T09:00:00Z')
    const revoked = await revokeHostLicense(deps, host.id, v!.license_id)
    expect(revoked).toMatchObject({ status: 'revoked', revoked_at: '2026-03-17T09:00:00.000Z' })
    s = await stored(v!.license_id)
    expect([s.license.status, s.license.revokedAt?.toISOString(), s.link.revokedAt?.toISOString()]).toEqual(['revoked', '2026-03-17T09:00:00.000Z', '2026-03-17T09:00:00.000Z'])

    // Revocation is final.
    expect(await revokeHostLicense(deps, host.id, v!.license_id)).toEqual(revoked)
    for (const action of [suspendHostLicense, reactivateHostLicense]) {
      await expect(action(deps, host.id, v!.license_id)).rejects.toMatchObject({ statusCode: 409 })
    }
    await expect(updateHostLicense(deps, host.id, v!.license_id, { hostname: 'x.example.net' })).rejects.toMatchObject({ statusCode: 409 })
  })

  it('PATCH changes the hostname only; subdomain and secrets stay', async () => {
    const { deps, host, views: [v] } = await setup()
    const updated = await updateHostLicense(deps, host.id, v!.license_id, { hostname: 'renamed.example.org' })
    expect(updated).toEqual({ ...v, hostname: 'renamed.example.org' })
  })

  it('another host\'s license is a 404 for every operation and changes nothing', async () => {
    const a = await setup()
    const b = await setup()
    const id = a.views[0]!.license_id
    const before = await stored(id)
    const attempts = [
      () => getHostLicense(b.deps, b.host.id, id),
      () => updateHostLicense(b.deps, b.host.id, id, { hostname: 'stolen.example.net' }),
      () => suspendHostLicense(b.deps, b.host.id, id),
      () => reactivateHostLicense(b.deps, b.host.id, id),
      () => revokeHostLicense(b.deps, b.host.id, id),
    ]
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ statusCode: 404 })
    expect(await stored(id)).toEqual(before)
  })
})

describe('listHostLicenses', () => {
  it('pages with a cursor through exactly this host\'s licenses, without companion tokens', async () => {
    const { deps, host, views } = await setup(7)
    await setup(3) // another host's licenses must never appear
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 10; page++) {
      const query = parseInput(listLicensesQuerySchema, { limit: '3', ...(cursor ? { cursor } : {}) })
      const res = await listHostLicenses(deps, host.id, query)
      expect(res.licenses.length).toBeLessThanOrEqual(3)
      for (const l of res.licenses) expect(l).not.toHaveProperty('companion_token')
      seen.push(...res.licenses.map(l => l.license_id))
      if (!res.next_cursor) break
      cursor = res.next_cursor
    }
    expect(seen.sort()).toEqual(views.map(v => v.license_id).sort())
  })

  it('filters by status and server_id', async () => {
    const { deps, host, views } = await setup(4)
    await suspendHostLicense(deps, host.id, views[1]!.license_id)
    await revokeHostLicense(deps, host.id, views[2]!.license_id)
    const byStatus = async (status: string) => (await listHostLicenses(deps, host.id, parseInput(listLicensesQuerySchema, { status }))).licenses.map(l => l.license_id)
    expect(await byStatus('suspended')).toEqual([views[1]!.license_id])
    expect(await byStatus('revoked')).toEqual([views[2]!.license_id])
    expect((await byStatus('active')).sort()).toEqual([views[0]!.license_id, views[3]!.license_id].sort())
    const one = await listHostLicenses(deps, host.id, parseInput(listLicensesQuerySchema, { server_id: views[3]!.server_id }))
    expect(one.licenses.map(l => l.license_id)).toEqual([views[3]!.license_id])
    expect(one.next_cursor).toBeNull()
  })

  it('rejects bad query values naming the field', () => {
    for (const [query, path] of [[{ limit: '0' }, 'limit'], [{ limit: '501' }, 'limit'], [{ limit: 'x' }, 'limit'], [{ status: 'gone' }, 'status'], [{ server_id: 'a b' }, 'server_id'], [{ limit: ['1', '2'] }, 'limit']] as const) {
      expect(() => parseInput(listLicensesQuerySchema, query)).toThrowError(expect.objectContaining({ statusCode: 400, data: { issues: [expect.objectContaining({ path })] } }))
    }
  })

  it('a forged cursor → 400 on cursor', async () => {
    const { deps, host } = await setup(1)
    const id = '6f1c2a9e-1b2c-4d3e-8f40-123456789abc'
    const outOfRange = ['0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'].map(at => Buffer.from(JSON.stringify([at, id])).toString('base64url'))
    for (const cursor of ['garbage', Buffer.from('["nope","x"]').toString('base64url'), Buffer.from('{}').toString('base64url'), ...outOfRange]) {
      await expect(listHostLicenses(deps, host.id, { cursor })).rejects.toMatchObject({ statusCode: 400, data: { issues: [{ path: 'cursor' }] } })
    }
  })
})
