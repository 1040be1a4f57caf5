import { describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { claimTokens, hostLicenses, licenses, users } from '../../server/db/schema'
import { InvalidInput } from '../../server/platform/errors'
import { revokeHostLicense } from '../../server/domains/hosts/host-licenses'
import { parseProvisionRequest, provisionLicenses, type ProvisionRequest } from '../../server/domains/hosts/provisioning'
import { HOST_TEST_TIME, makeHost, server } from '../support/host-fixtures'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_hostprov')

/** A new host and deps at HOST_TEST_TIME (the test may move their clock). */
async function newHost() {
  const deps = t.at(HOST_TEST_TIME)
  const { host } = await makeHost(deps)
  return { deps, host }
}

const single = (s: ReturnType<typeof server>): ProvisionRequest => ({ kind: 'single', servers: [s] })
const bulk = (servers: ReturnType<typeof server>[]): ProvisionRequest => ({ kind: 'bulk', servers })

async function rowCounts() {
  const [l] = await t.db.select({ n: count() }).from(licenses)
  const [h] = await t.db.select({ n: count() }).from(hostLicenses)
  const [u] = await t.db.select({ n: count() }).from(users)
  const [c] = await t.db.select({ n: count() }).from(claimTokens)
  return { licenses: l?.n, links: h?.n, users: u?.n, claims: c?.n }
}

describe('provisionLicenses', () => {
  it('creates the user, the license and the host link, and returns the full License', async () => {
    const { deps, host } = await newHost()
    const [result] = await provisionLicenses(deps, host, single({ server_id: 'srv-a1', hostname: 'mc.alpha.example.net', customer_email: 'Alex@Example.COM' }))
    expect(result?.created).toBe(true)
    const view = result!.license
    expect(view).toMatchObject({
      server_id: 'srv-a1',
      hostname: 'mc.alpha.example.net',
      customer_email: 'alex@example.com',
      status: 'active',
      subdomain: 'mc-alpha-example-net',
      store_url: 'https://mc-alpha-example-net.store.example.test',
      provisioned_at: '2026-03-15T12:00:00.000Z',
      suspended_at: null,
      revoked_at: null,
    })
    expect(view.license_key).toMatch(/^CAIRN(-[0-9A-HJKMNP-TV-Z]{5}){4}$/)
    expect(view.companion_token).toMatch(/^cairn_agent_[A-Za-z0-9_-]{32,}$/)
    expect(view.plugin_download_url).toContain(encodeURIComponent(view.license_key))
    expect(view.panel_url).toMatch(/^https:\/\/panel\.example\.test\/claim\/[A-Za-z0-9_-]{32}\?license=/)
    const [link] = await t.db.select().from(hostLicenses).where(eq(hostLicenses.licenseId, view.license_id))
    expect(link).toMatchObject({ hostId: host.id, serverId: 'srv-a1', customerEmail: 'alex@example.com', revokedAt: null })
    const [user] = await t.db.select().from(users).where(eq(users.email, 'alex@example.com'))
    expect(user?.passwordHash).toBeNull()
  })

  it('same server_id again → the same license and the same secrets, created: false', async () => {
    const { deps, host } = await newHost()
    const s = server('idem-1')
    const [first] = await provisionLicenses(deps, host, single(s))
    const before = await rowCounts()
    deps.clock.set('2026-03-20T00:00:00Z')
    const [again] = await provisionLicenses(deps, host, single({ ...s, customer_email: s.customer_email.toUpperCase() }))
    expect(again?.created).toBe(false)
    expect(again?.license).toEqual(first?.license)
    expect(await rowCounts()).toEqual(before)
  })

  it('same server_id with another email → 409 naming customer_email, nothing written', async () => {
    const { deps, host } = await newHost()
    await provisionLicenses(deps, host, single(server('c-1')))
    const before = await rowCounts()
    await expect(provisionLicenses(deps, host, single(server('c-1', 'someone-else@example.com'))))
      .rejects.toMatchObject({ statusCode: 409, data: { path: 'customer_email', server_id: 'srv-c-1' } })
    expect(await rowCounts()).toEqual(before)
  })

  it('20 concurrent identical calls → exactly one license, identical answers', async () => {
    const { deps, host } = await newHost()
    const s = server('race-1', 'race@example.com')
    const results = await Promise.all(Array.from({ length: 20 }, () => provisionLicenses(deps, host, single(s))))
    const views = results.map(r => r[0]!)
    expect(views.filter(v => v.created)).toHaveLength(1)
    expect(new Set(views.map(v => v.license.license_id)).size).toBe(1)
    expect(new Set(views.map(v => v.license.companion_token)).size).toBe(1)
    expect(new Set(views.map(v => v.license.panel_url)).size).toBe(1)
    const rows = await t.db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
    expect(rows).toHaveLength(1)
  })

  it('a bulk of 100 succeeds in one call, in request order, with unique subdomains', async () => {
    const { deps, host } = await newHost()
    const servers = Array.from({ length: 100 }, (_, i) => ({ server_id: `bulk-${i}`, hostname: 'play.samehost.example.net', customer_email: `bulk${i % 7}@example.com` }))
    const results = await provisionLicenses(deps, host, bulk(servers))
    expect(results.map(r => r.license.server_id)).toEqual(servers.map(s => s.server_id))
    expect(results.every(r => r.created)).toBe(true)
    const subdomains = results.map(r => r.license.subdomain)
    expect(new Set(subdomains).size).toBe(100)
    expect(subdomains[0]).toBe('play-samehost-example-net')
    expect(subdomains[1]).toBe('play-samehost-example-net-2')
    const links = await t.db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
    expect(links).toHaveLength(100)
  })

  it('a bulk that conflicts at its last entry writes nothing at all', async () => {
    const { deps, host } = await newHost()
    await provisionLicenses(deps, host, single(server('taken')))
    const before = await rowCounts()
    const servers = [...Array.from({ length: 50 }, (_, i) => server(`new-${i}`, `fresh${i}@example.com`)), server('taken', 'intruder@example.com')]
    await expect(provisionLicenses(deps, host, bulk(servers))).rejects.toMatchObject({ statusCode: 409, data: { path: 'servers.50.customer_email' } })
    expect(await rowCounts()).toEqual(before)
  })

  it('the same server_id twice in one bulk → one license, the second entry created: false', async () => {
    const { deps, host } = await newHost()
    const results = await provisionLicenses(deps, host, bulk([server('dup'), server('other'), server('dup')]))
    expect(results.map(r => r.created)).toEqual([true, true, false])
    expect(results[2]?.license).toEqual(results[0]?.license)
  })

  it('after a revoke the server_id is provisioned anew (a new license)', async () => {
    const { deps, host } = await newHost()
    const [first] = await provisionLicenses(deps, host, single(server('again')))
    await revokeHostLicense(deps, host.id, first!.license.license_id)
    const [second] = await provisionLicenses(deps, host, single(server('again', 'new-owner@example.com')))
    expect(second?.created).toBe(true)
    expect(second?.license.license_id).not.toBe(first?.license.license_id)
    expect(second?.license.license_key).not.toBe(first?.license.license_key)
    const links = await t.db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
    expect(links).toHaveLength(2)
  })

  it('two hosts may use the same server_id independently', async () => {
    const deps = t.at(HOST_TEST_TIME)
    const a = await makeHost(deps)
    const b = await makeHost(deps)
    const [la] = await provisionLicenses(deps, a.host, single(server('shared-id')))
    const [lb] = await provisionLicenses(deps, b.host, single(server('shared-id', 'b-customer@example.com')))
    expect(la?.created && lb?.created).toBe(true)
    expect(la?.license.license_id).not.toBe(lb?.license.license_id)
  })

  it('concurrent bulk calls sharing customers and server_ids in opposite orders all finish consistently', async () => {
    const { deps, host } = await newHost()
    const servers = Array.from({ length: 10 }, (_, i) => server(`x-${i}`, `shared${i % 3}@example.com`))
    const reversed = [...servers].reverse()
    const outcomes = await Promise.all([0, 1, 2, 3].map(i => provisionLicenses(deps, host, bulk(i % 2 ? reversed : servers))))
    const byServer = new Map<string, string>()
    for (const outcome of outcomes) {
      for (const r of outcome) {
        const seen = byServer.get(r.license.server_id!)
        if (seen) expect(r.license.license_id).toBe(seen)
        else byServer.set(r.license.server_id!, r.license.license_id)
      }
    }
    expect(byServer.size).toBe(10)
    const links = await t.db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
    expect(links).toHaveLength(10)
  })
})

describe('parseProvisionRequest', () => {
  it('a bulk with one bad entry is refused before anything is written, naming servers.<i>.<field>', async () => {
    const before = await rowCounts()
    const servers = Array.from({ length: 10 }, (_, i) => server(`v-${i}`))
    servers[3] = { ...servers[3]!, customer_email: 'not-an-email' }
    let error: unknown
    try {
      parseProvisionRequest({ servers })
    }
    catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InvalidInput)
    expect((error as InvalidInput).data?.issues).toEqual([expect.objectContaining({ path: 'servers.3.customer_email' })])
    expect(await rowCounts()).toEqual(before)
  })
})
