import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { count, eq, sql } from 'drizzle-orm'
import type { Db } from '../../server/db'
import { claimTokens, hostLicenses, hosts, licenses, users } from '../../server/db/schema'
import { createHost, rotateHostKey } from '../../server/domains/hosts/hosts'
import { call, fakeIp, type ApiResponse, type RequestOptions } from '../support/http'
import { serverDb } from '../support/fixtures'
import { seedHostLicensesSql } from '../support/host-fixtures'
import { testDeps } from '../support/deps'

type License = Record<string, unknown> & { license_id: string, server_id: string, license_key: string, companion_token?: string, status: string }
type Issues = { data?: { issues?: Array<{ path: string, message: string }> } }

const skip = inject('skipReason')
let db: Db

interface TestHost { id: string, key: string, ip: string }

async function newHost(name = 'API Host'): Promise<TestHost> {
  const { host, apiKey } = await createHost(testDeps(db), { name })
  return { id: host.id, key: apiKey, ip: fakeIp() }
}

function as<T = Record<string, unknown>>(host: TestHost, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  return call<T>(path, { ...options, token: host.key, headers: { 'x-forwarded-for': host.ip, ...options.headers } })
}

let serial = 0
function srv(tag: string, email?: string) {
  serial++
  return { server_id: `${tag}-${serial}`, hostname: `mc${serial}.${tag}.example.net`, customer_email: email ?? `${tag}${serial}@example.com` }
}

async function rowCounts() {
  const one = async (table: typeof licenses | typeof hostLicenses | typeof users | typeof claimTokens) => (await db.select({ n: count() }).from(table))[0]?.n
  return { licenses: await one(licenses), links: await one(hostLicenses), users: await one(users), claims: await one(claimTokens) }
}

function monthOf(d: Date) {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}
const now = new Date()
const CURRENT = monthOf(now)
const NEXT = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)))
const PREVIOUS = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)))

describe.skipIf(Boolean(skip))('host API', () => {
  beforeAll(async () => {
    db = (await serverDb()).db
  })

  describe('authentication', () => {
    it('401 for missing, malformed, unknown and rotated-out keys', async () => {
      const host = await newHost()
      const ip = fakeIp()
      const cases: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer' },
        { authorization: 'Basic Zm9vOmJhcg==' },
        { authorization: 'Bearer not-a-host-key' },
        { authorization: `Bearer cairn_host_${'A'.repeat(32)}` },
      ]
      for (const headers of cases) {
        const res = await call('/api/host/licenses', { headers: { ...headers, 'x-forwarded-for': ip } })
        expect(res.status, JSON.stringify(headers)).toBe(401)
        expect(res.body).toMatchObject({ statusCode: 401 })
      }
      expect((await as(host, '/api/host/licenses')).status).toBe(200)
      const { apiKey } = await rotateHostKey(testDeps(db), host.id)
      expect((await as(host, '/api/host/licenses')).status).toBe(401)
      expect((await as({ ...host, key: apiKey }, '/api/host/licenses')).status).toBe(200)
    })

    it('auth comes before validation: an anonymous bad request is 401, not 400', async () => {
      const res = await call('/api/host/provision', { body: { server_id: '' }, headers: { 'x-forwarded-for': fakeIp() } })
      expect(res.status).toBe(401)
      expect((await call('/api/host/billing/2026-13', { headers: { 'x-forwarded-for': fakeIp() } })).status).toBe(401)
    })

    it('403 for a suspended host, on every endpoint', async () => {
      const host = await newHost()
      const created = await as<License>(host, '/api/host/provision', { body: srv('susp') })
      expect(created.status).toBe(201)
      await db.update(hosts).set({ status: 'suspended' }).where(eq(hosts.id, host.id))
      const id = created.body.license_id
      for (const [path, method, body] of [
        ['/api/host/provision', 'POST', srv('susp')],
        ['/api/host/licenses', 'GET'],
        [`/api/host/licenses/${id}`, 'GET'],
        [`/api/host/licenses/${id}`, 'PATCH', { hostname: 'x.example.net' }],
        [`/api/host/licenses/${id}/suspend`, 'POST'],
        [`/api/host/licenses/${id}/reactivate`, 'POST'],
        [`/api/host/licenses/${id}`, 'DELETE'],
        [`/api/host/billing/${CURRENT}`, 'GET'],
      ] as const) {
        const res = await as(host, path, { method, ...(body ? { body } : {}) })
        expect(res.status, `${method} ${path}`).toBe(403)
      }
      const [license] = await db.select().from(licenses).where(eq(licenses.id, id))
      expect(license?.status).toBe('active')
    })

    it('the plaintext key is stored nowhere in the database; its SHA-256 is', async () => {
      const host = await newHost('Needle Hosting')
      await as(host, '/api/host/provision', { body: srv('needle') })
      const tables = await db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)
      const names = (Array.isArray(tables) ? tables : (tables as { rows: Array<{ table_name: string }> }).rows).map(r => r.table_name)
      expect(names).toContain('hosts')
      let dump = ''
      for (const name of names) {
        const rows = await db.execute(sql`select t::text as row from ${sql.identifier(name)} t`)
        dump += JSON.stringify(rows)
      }
      expect(dump).not.toContain(host.key)
      expect(dump).not.toContain(host.key.slice('cairn_host_'.length))
      const { sha256Hex } = await import('../../server/platform/crypto')
      expect(dump).toContain(sha256Hex(host.key))
    })

    it('rate limit per key: a burst over 100 gets 429 with Retry-After', async () => {
      const host = await newHost()
      const other = await newHost()
      // Waves until the bucket runs dry: however slow the machine, the refill (per second) cannot keep
      // up with 150 requests in flight, so no assertion depends on how fast they are answered.
      const wave = () => Promise.all(Array.from({ length: 150 }, () => as(host, `/api/host/licenses?server_id=none`)))
      const responses = await wave()
      expect(responses.filter(r => r.status === 200).length).toBeGreaterThanOrEqual(100)
      for (let i = 0; i < 10 && !responses.some(r => r.status === 429); i++) responses.push(...await wave())
      const limited = responses.filter(r => r.status === 429)
      expect(limited.length).toBeGreaterThan(0)
      expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(limited[0]!.body).toMatchObject({ statusCode: 429 })
      expect((await as(other, '/api/host/licenses')).status).toBe(200)
    })
  })

  describe('provisioning', () => {
    it('single: 201 new, then 200 with the same license and secrets; the License shape', async () => {
      const host = await newHost()
      const body = srv('single')
      const first = await as<License>(host, '/api/host/provision', { body })
      expect(first.status).toBe(201)
      expect(Object.keys(first.body).sort()).toEqual(['companion_token', 'customer_email', 'hostname', 'license_id', 'license_key', 'panel_url', 'plugin_download_url', 'provisioned_at', 'revoked_at', 'server_id', 'status', 'store_url', 'subdomain', 'suspended_at'])
      expect(first.body).toMatchObject({ server_id: body.server_id, hostname: body.hostname, customer_email: body.customer_email, status: 'active', suspended_at: null, revoked_at: null })
      expect(first.body.license_key).toMatch(/^CAIRN(-[0-9A-HJKMNP-TV-Z]{5}){4}$/)
      expect(first.body.companion_token).toMatch(/^cairn_agent_[A-Za-z0-9_-]{22,}$/)
      expect(String(first.body.subdomain)).toMatch(/^[a-z0-9-]{1,63}$/)
      expect(String(first.body.panel_url)).toContain('/claim/')
      const again = await as<License>(host, '/api/host/provision', { body: { ...body, customer_email: body.customer_email.toUpperCase() } })
      expect(again.status).toBe(200)
      expect(again.body).toEqual(first.body)
      const links = await db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
      expect(links).toHaveLength(1)
    })

    it('same server_id with another email → 409, nothing written', async () => {
      const host = await newHost()
      const body = srv('conflict')
      await as(host, '/api/host/provision', { body })
      const before = await rowCounts()
      const res = await as(host, '/api/host/provision', { body: { ...body, customer_email: 'other-person@example.com' } })
      expect(res.status).toBe(409)
      expect(res.body).toMatchObject({ statusCode: 409, data: { path: 'customer_email' } })
      expect(await rowCounts()).toEqual(before)
    })

    it('20 concurrent identical calls → exactly one license with identical answers', async () => {
      const host = await newHost()
      const body = srv('race')
      const responses = await Promise.all(Array.from({ length: 20 }, () => as<License>(host, '/api/host/provision', { body })))
      expect(responses.filter(r => r.status === 201)).toHaveLength(1)
      expect(responses.filter(r => r.status === 200)).toHaveLength(19)
      expect(new Set(responses.map(r => JSON.stringify(r.body))).size).toBe(1)
      const links = await db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
      expect(links).toHaveLength(1)
    })

    it('bulk of 100 in one call: 200, request order, created flags', async () => {
      const host = await newHost()
      const servers = Array.from({ length: 100 }, () => srv('bulk'))
      servers[99] = { ...servers[0]! }
      const res = await as<{ licenses: Array<License & { created: boolean }> }>(host, '/api/host/provision', { body: { servers } })
      expect(res.status).toBe(200)
      expect(res.body.licenses.map(l => l.server_id)).toEqual(servers.map(s => s.server_id))
      expect(res.body.licenses.filter(l => l.created)).toHaveLength(99)
      expect(res.body.licenses[99]).toEqual({ ...res.body.licenses[0], created: false })
      const links = await db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
      expect(links).toHaveLength(99)
    })

    it('bulk with one bad entry → 400 naming servers.<i>.<field>, nothing written', async () => {
      const host = await newHost()
      const before = await rowCounts()
      const servers = Array.from({ length: 20 }, () => srv('badbulk'))
      servers[13] = { ...servers[13]!, customer_email: 'nope' }
      const res = await as<Issues>(host, '/api/host/provision', { body: { servers } })
      expect(res.status).toBe(400)
      expect(res.body.data?.issues).toEqual([expect.objectContaining({ path: 'servers.13.customer_email' })])
      // A conflict late in the batch rolls back everything before it too.
      const existing = srv('badbulk')
      await as(host, '/api/host/provision', { body: existing })
      const mid = await rowCounts()
      const conflict = await as(host, '/api/host/provision', { body: { servers: [srv('badbulk'), srv('badbulk'), { ...existing, customer_email: 'thief@example.com' }] } })
      expect(conflict.status).toBe(409)
      expect(conflict.body).toMatchObject({ data: { path: 'servers.2.customer_email' } })
      expect(await rowCounts()).toEqual(mid)
      expect(mid.licenses).toBe((before.licenses ?? 0) + 1)
    })

    it('re-provisioning after a revoke makes a new license', async () => {
      const host = await newHost()
      const body = srv('reprov')
      const first = await as<License>(host, '/api/host/provision', { body })
      expect((await as(host, `/api/host/licenses/${first.body.license_id}`, { method: 'DELETE' })).status).toBe(200)
      const second = await as<License>(host, '/api/host/provision', { body })
      expect(second.status).toBe(201)
      expect(second.body.license_id).not.toBe(first.body.license_id)
      expect(second.body.license_key).not.toBe(first.body.license_key)
    })
  })

  describe('bad input → 400 naming the field, never a 500', () => {
    const long = 'x'.repeat(129)
    const cases: Array<[string, unknown, string]> = [
      ['server_id wrong type', { server_id: 42, hostname: 'a.example.net', customer_email: 'a@example.com' }, 'server_id'],
      ['server_id missing', { hostname: 'a.example.net', customer_email: 'a@example.com' }, 'server_id'],
      ['server_id empty', { server_id: '', hostname: 'a.example.net', customer_email: 'a@example.com' }, 'server_id'],
      ['server_id 129 chars', { server_id: long, hostname: 'a.example.net', customer_email: 'a@example.com' }, 'server_id'],
      ['server_id bad chars', { server_id: 'a b/c', hostname: 'a.example.net', customer_email: 'a@example.com' }, 'server_id'],
      ['hostname missing', { server_id: 's1', customer_email: 'a@example.com' }, 'hostname'],
      ['hostname not DNS', { server_id: 's1', hostname: 'bad host!', customer_email: 'a@example.com' }, 'hostname'],
      ['hostname too long', { server_id: 's1', hostname: `${'a'.repeat(60)}.`.repeat(5), customer_email: 'a@example.com' }, 'hostname'],
      ['hostname =cmd', { server_id: 's1', hostname: '=cmd|calc', customer_email: 'a@example.com' }, 'hostname'],
      ['email missing', { server_id: 's1', hostname: 'a.example.net' }, 'customer_email'],
      ['email bad', { server_id: 's1', hostname: 'a.example.net', customer_email: 'not-an-email' }, 'customer_email'],
      ['email wrong type', { server_id: 's1', hostname: 'a.example.net', customer_email: ['a@example.com'] }, 'customer_email'],
      ['servers empty', { servers: [] }, 'servers'],
      ['servers 101', { servers: Array.from({ length: 101 }, (_, i) => ({ server_id: `s${i}`, hostname: 'a.example.net', customer_email: 'a@example.com' })) }, 'servers'],
      ['servers not an array', { servers: 'many' }, 'servers'],
      ['servers entry wrong type', { servers: [null] }, 'servers.0'],
      ['body not an object', [1, 2], ''],
    ]
    it.each(cases)('provision: %s', async (_name, body, path) => {
      const host = await newHost()
      const res = await as<Issues>(host, '/api/host/provision', { body })
      expect(res.status).toBe(400)
      expect(res.body.data?.issues?.map(i => i.path)).toContain(path)
      const links = await db.select().from(hostLicenses).where(eq(hostLicenses.hostId, host.id))
      expect(links).toHaveLength(0)
    })

    it('provision: malformed JSON and an empty body', async () => {
      const host = await newHost()
      for (const raw of ['{"server_id": ', '']) {
        const res = await as(host, '/api/host/provision', { method: 'POST', raw, headers: { 'content-type': 'application/json' } })
        expect(res.status).toBe(400)
      }
    })

    it.each([
      ['2026-13'], ['2026-1'], ['2026-00'], ['26-01'], ['1999-12'], ['%2E%2E%2F'], ['..%2F..%2Fetc'], ['2026-01%00'], [NEXT], ['9999-12'],
    ])('billing month %s → 400 on month', async (month) => {
      const host = await newHost()
      const res = await as<Issues>(host, `/api/host/billing/${month}`)
      expect(res.status).toBe(400)
      expect(res.body.data?.issues?.map(i => i.path)).toEqual(['month'])
    })

    it('billing format and list queries', async () => {
      const host = await newHost()
      for (const [path, field] of [
        [`/api/host/billing/${CURRENT}?format=xml`, 'format'],
        ['/api/host/licenses?limit=0', 'limit'],
        ['/api/host/licenses?limit=501', 'limit'],
        ['/api/host/licenses?limit=ten', 'limit'],
        ['/api/host/licenses?status=deleted', 'status'],
        [`/api/host/licenses?server_id=${'x'.repeat(129)}`, 'server_id'],
        ['/api/host/licenses?cursor=%7Bbad', 'cursor'],
      ] as const) {
        const res = await as<Issues>(host, path)
        expect(res.status, path).toBe(400)
        expect(res.body.data?.issues?.map(i => i.path), path).toContain(field)
      }
    })

    it('PATCH with bad bodies; unknown and malformed license ids → 404', async () => {
      const host = await newHost()
      const created = await as<License>(host, '/api/host/provision', { body: srv('patch') })
      const id = created.body.license_id
      for (const body of [{}, { hostname: 7 }, { hostname: 'not a host' }, { hostname: '' }]) {
        const res = await as<Issues>(host, `/api/host/licenses/${id}`, { method: 'PATCH', body })
        expect(res.status).toBe(400)
        expect(res.body.data?.issues?.map(i => i.path)).toContain('hostname')
      }
      for (const bad of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1%27%20or%201%3D1']) {
        expect((await as(host, `/api/host/licenses/${bad}`)).status).toBe(404)
        expect((await as(host, `/api/host/licenses/${bad}/suspend`, { method: 'POST' })).status).toBe(404)
      }
    })
  })

  describe('license endpoints', () => {
    it('get, patch, suspend, reactivate, delete: status codes, bodies and database effects', async () => {
      const host = await newHost()
      const created = await as<License>(host, '/api/host/provision', { body: srv('life') })
      const id = created.body.license_id
      const got = await as<License>(host, `/api/host/licenses/${id}`)
      expect(got.status).toBe(200)
      expect(got.body).toEqual(created.body)

      const patched = await as<License>(host, `/api/host/licenses/${id}`, { method: 'PATCH', body: { hostname: 'new-name.example.org' } })
      expect(patched.status).toBe(200)
      expect(patched.body).toEqual({ ...created.body, hostname: 'new-name.example.org' })

      const suspended = await as<License>(host, `/api/host/licenses/${id}/suspend`, { method: 'POST' })
      expect(suspended.status).toBe(200)
      expect(suspended.body.status).toBe('suspended')
      expect(suspended.body.suspended_at).toEqual(expect.any(String))
      let [row] = await db.select().from(licenses).where(eq(licenses.id, id))
      expect(row?.status).toBe('suspended')

      const reactivated = await as<License>(host, `/api/host/licenses/${id}/reactivate`, { method: 'POST' })
      expect(reactivated.body).toMatchObject({ status: 'active', suspended_at: null })
      ;[row] = await db.select().from(licenses).where(eq(licenses.id, id))
      expect(row?.status).toBe('active')

      const revoked = await as<License>(host, `/api/host/licenses/${id}`, { method: 'DELETE' })
      expect(revoked.status).toBe(200)
      expect(revoked.body).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) })
      const [link] = await db.select().from(hostLicenses).where(eq(hostLicenses.licenseId, id))
      expect(link?.revokedAt).not.toBeNull()
      expect((await as(host, `/api/host/licenses/${id}/reactivate`, { method: 'POST' })).status).toBe(409)
    })

    it('list: filters and cursor pagination, no companion tokens', async () => {
      const host = await newHost()
      const servers = Array.from({ length: 5 }, () => srv('list'))
      const res = await as<{ licenses: License[] }>(host, '/api/host/provision', { body: { servers } })
      const ids = res.body.licenses.map(l => l.license_id)
      await as(host, `/api/host/licenses/${ids[1]}/suspend`, { method: 'POST' })
      const seen: string[] = []
      let next: string | null = null
      do {
        const page: ApiResponse<{ licenses: License[], next_cursor: string | null }> = await as(host, `/api/host/licenses?limit=2${next ? `&cursor=${encodeURIComponent(next)}` : ''}`)
        expect(page.status).toBe(200)
        expect(page.body.licenses.length).toBeLessThanOrEqual(2)
        for (const l of page.body.licenses) expect(l).not.toHaveProperty('companion_token')
        seen.push(...page.body.licenses.map(l => l.license_id))
        next = page.body.next_cursor
      } while (next)
      expect(seen.sort()).toEqual([...ids].sort())
      const suspended = await as<{ licenses: License[] }>(host, '/api/host/licenses?status=suspended')
      expect(suspended.body.licenses.map(l => l.license_id)).toEqual([ids[1]])
      const byServer = await as<{ licenses: License[], next_cursor: null }>(host, `/api/host/licenses?server_id=${servers[3]!.server_id}`)
      expect(byServer.body).toEqual({ licenses: [expect.objectContaining({ license_id: ids[3] })], next_cursor: null })
    })
  })

  describe('two hosts are isolated', () => {
    let a: TestHost
    let b: TestHost
    let aLicense: License
    beforeAll(async () => {
      a = await newHost('Host A')
      b = await newHost('Host B')
      aLicense = (await as<License>(a, '/api/host/provision', { body: srv('iso-a') })).body
      await as(b, '/api/host/provision', { body: srv('iso-b') })
    })

    it('every license endpoint answers 404 for the other host\'s license and changes nothing', async () => {
      const id = aLicense.license_id
      const [before] = await db.select().from(licenses).where(eq(licenses.id, id))
      for (const [method, path, body] of [
        ['GET', `/api/host/licenses/${id}`],
        ['PATCH', `/api/host/licenses/${id}`, { hostname: 'hijack.example.net' }],
        ['POST', `/api/host/licenses/${id}/suspend`],
        ['POST', `/api/host/licenses/${id}/reactivate`],
        ['DELETE', `/api/host/licenses/${id}`],
      ] as const) {
        const res = await as(b, path, { method, ...(body ? { body } : {}) })
        expect(res.status, `${method} ${path}`).toBe(404)
        expect(res.text).not.toContain(aLicense.license_key)
      }
      const [after] = await db.select().from(licenses).where(eq(licenses.id, id))
      expect(after).toEqual(before)
    })

    it('lists, server_id lookups and bills never include the other host\'s rows', async () => {
      const list = await as<{ licenses: License[] }>(b, '/api/host/licenses?limit=500')
      expect(list.body.licenses.map(l => l.license_id)).not.toContain(aLicense.license_id)
      expect(list.body.licenses).toHaveLength(1)
      const lookup = await as<{ licenses: License[] }>(b, `/api/host/licenses?server_id=${aLicense.server_id}`)
      expect(lookup.body.licenses).toEqual([])
      const bill = await as<{ lines: Array<{ license_id: string }>, billable_licenses: number }>(b, `/api/host/billing/${CURRENT}`)
      expect(bill.body.billable_licenses).toBe(1)
      expect(bill.body.lines.map(l => l.license_id)).not.toContain(aLicense.license_id)
      const csv = await as(b, `/api/host/billing/${CURRENT}?format=csv`)
      expect(csv.text).not.toContain(aLicense.license_id)
      // Same server_id at another host is a separate license, not a conflict or a leak.
      const same = await as<License>(b, '/api/host/provision', { body: { server_id: aLicense.server_id, hostname: 'b.example.net', customer_email: 'b-owner@example.com' } })
      expect(same.status).toBe(201)
      expect(same.body.license_id).not.toBe(aLicense.license_id)
    })
  })

  describe('billing', () => {
    it('current month: open, live JSON report', async () => {
      const host = await newHost()
      const res = await as<{ licenses: License[] }>(host, '/api/host/provision', { body: { servers: [srv('bill'), srv('bill')] } })
      const report = await as<Record<string, unknown> & { lines: unknown[] }>(host, `/api/host/billing/${CURRENT}`)
      expect(report.status).toBe(200)
      expect(report.body).toMatchObject({ month: CURRENT, status: 'open', currency: 'USD', rate_cents: 600, billable_licenses: 2, amount_cents: 1200 })
      // Lines are ordered by provisioned_at, then license_id (one bulk shares one provisioned_at).
      const ordered = [...res.body.licenses].sort((x, y) => x.license_id.localeCompare(y.license_id))
      expect(report.body.lines).toEqual(ordered.map(l => ({
        license_id: l.license_id,
        server_id: l.server_id,
        hostname: l.hostname,
        customer_email: l.customer_email,
        provisioned_at: l.provisioned_at,
        revoked_at: null,
        amount_cents: 600,
      })))
    })

    it('a past month is closed and frozen on first request', async () => {
      const host = await newHost()
      await seedHostLicensesSql(db, host.id, 3, `${PREVIOUS}-10T00:00:00Z`, 'past')
      const first = await as<Record<string, unknown>>(host, `/api/host/billing/${PREVIOUS}`)
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({ month: PREVIOUS, status: 'closed', billable_licenses: 3, amount_cents: 1800 })
      await db.update(hosts).set({ rateCents: 999 }).where(eq(hosts.id, host.id))
      const second = await as(host, `/api/host/billing/${PREVIOUS}`)
      expect(second.body).toEqual(first.body)
    })

    it('CSV: header, filename, quoting, neutralised =cmd, streamed; same via Accept: text/csv', async () => {
      const host = await newHost()
      const res = await as<{ licenses: License[] }>(host, '/api/host/provision', { body: { servers: [srv('csv'), srv('csv')] } })
      const [l1, l2] = res.body.licenses
      await db.update(licenses).set({ hostname: '=cmd|\'/C calc\'!A0' }).where(eq(licenses.id, l1!.license_id))
      await db.update(licenses).set({ hostname: 'x,"y"\nz' }).where(eq(licenses.id, l2!.license_id))
      const csv = await as(host, `/api/host/billing/${CURRENT}?format=csv`)
      expect(csv.status).toBe(200)
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="cairn-billing-${CURRENT}.csv"`)
      expect(csv.headers.get('transfer-encoding')).toBe('chunked')
      expect(csv.headers.get('content-length')).toBeNull()
      const rows = csv.text.split('\r\n')
      expect(rows[0]).toBe('license_id,server_id,hostname,customer_email,provisioned_at,revoked_at,rate_cents,amount_cents,currency')
      expect(rows).toContain(`${l1!.license_id},${l1!.server_id},'=cmd|'/C calc'!A0,${l1!.customer_email},${l1!.provisioned_at},,600,600,USD`)
      expect(csv.text).toContain(`${l2!.license_id},${l2!.server_id},"x,""y""\nz",`)
      const viaAccept = await as(host, `/api/host/billing/${CURRENT}`, { headers: { accept: 'text/csv' } })
      expect(viaAccept.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(viaAccept.text).toBe(csv.text)
      const json = await as(host, `/api/host/billing/${CURRENT}?format=json`, { headers: { accept: 'text/csv' } })
      expect(json.headers.get('content-type')).toMatch(/json/)
    })
  })

  describe('OpenAPI', () => {
    it('serves an OpenAPI 3.1 document covering every host endpoint', async () => {
      const res = await call<{ openapi: string, paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')
      expect(res.status).toBe(200)
      expect(res.body.openapi).toBe('3.1.0')
      const ops = Object.entries(res.body.paths).flatMap(([path, item]) => Object.keys(item).map(m => `${m.toUpperCase()} ${path}`))
      expect(ops).toEqual(expect.arrayContaining([
        'POST /api/host/provision',
        'GET /api/host/licenses',
        'GET /api/host/licenses/{license_id}',
        'PATCH /api/host/licenses/{license_id}',
        'POST /api/host/licenses/{license_id}/suspend',
        'POST /api/host/licenses/{license_id}/reactivate',
        'DELETE /api/host/licenses/{license_id}',
        'GET /api/host/billing/{month}',
      ]))
      const provision = res.body.paths['/api/host/provision']?.post as { requestBody: { content: { 'application/json': { schema: { anyOf: Array<{ properties: Record<string, { maxLength?: number }> }> } } } } }
      expect(provision.requestBody.content['application/json'].schema.anyOf[0]?.properties.server_id?.maxLength).toBe(128)
    })
  })
})

afterAll(() => {})
