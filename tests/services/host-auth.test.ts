import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { hosts } from '../../server/db/schema'
import { sha256Hex } from '../../server/platform/crypto'
import { HostGate } from '../../server/domains/hosts/api-keys'
import { createHost, findHostById, listHosts, presentHostSummary, rotateHostKey, setHostStatus } from '../../server/domains/hosts/hosts'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_hostauth')

describe('host keys', () => {
  it('are cairn_host_ + 192 random bits; only the SHA-256 and a short prefix are stored', async () => {
    const { host, apiKey } = await createHost(t.at('2026-03-01T00:00:00Z'), { name: 'Acme Hosting' })
    expect(apiKey).toMatch(/^cairn_host_[A-Za-z0-9_-]{32}$/)
    expect(host).toMatchObject({ apiKeyHash: sha256Hex(apiKey), keyPrefix: apiKey.slice(0, 17), rateCents: 600, currency: 'USD', status: 'active' })
    // The plaintext key appears nowhere in the database (every text column of every table).
    const dump = await t.db.execute(sql`select string_agg(t::text, '|') as all from (select * from hosts) t`)
    const text = JSON.stringify(dump)
    expect(text).toContain(sha256Hex(apiKey))
    expect(text).not.toContain(apiKey)
    expect(JSON.stringify(presentHostSummary(host))).not.toContain(apiKey)
  })

  it('rotation: the old key stops working, the new one works', async () => {
    const deps = t.at('2026-03-01T00:00:00Z')
    const gate = new HostGate()
    const { host, apiKey: oldKey } = await createHost(deps, { name: 'Rotator' })
    expect((await gate.authenticate(deps, `Bearer ${oldKey}`)).id).toBe(host.id)
    const { apiKey: newKey } = await rotateHostKey(deps, host.id)
    await expect(gate.authenticate(deps, `Bearer ${oldKey}`)).rejects.toMatchObject({ statusCode: 401 })
    expect((await gate.authenticate(deps, `Bearer ${newKey}`)).id).toBe(host.id)
  })

  it('401 for missing, malformed and unknown keys; 403 for a suspended host', async () => {
    const deps = t.at('2026-03-01T00:00:00Z')
    const gate = new HostGate()
    const { host, apiKey } = await createHost(deps, { name: 'Status' })
    for (const header of [undefined, '', 'Basic abc', `Bearer`, `Bearer cairn_host_short`, `Token ${apiKey}`, `Bearer ${apiKey}x`, `Bearer cairn_agent_${'a'.repeat(32)}`]) {
      await expect(gate.authenticate(deps, header)).rejects.toMatchObject({ statusCode: 401 })
    }
    await setHostStatus(deps, host.id, 'suspended')
    await expect(gate.authenticate(deps, `Bearer ${apiKey}`)).rejects.toMatchObject({ statusCode: 403 })
    await setHostStatus(deps, host.id, 'active')
    expect((await gate.authenticate(deps, `bearer ${apiKey}`)).id).toBe(host.id)
  })

  it('writes last_used_at at most once a minute per host', async () => {
    const deps = t.at('2026-03-01T10:00:00Z')
    const gate = new HostGate()
    const { host, apiKey } = await createHost(deps, { name: 'Touchy' })
    const lastUsed = async () => (await findHostById(deps, host.id))?.lastUsedAt?.toISOString()
    await gate.authenticate(deps, `Bearer ${apiKey}`)
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z')
    deps.clock.set('2026-03-01T10:00:59Z')
    await gate.authenticate(deps, `Bearer ${apiKey}`)
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z')
    deps.clock.set('2026-03-01T10:01:00Z')
    await gate.authenticate(deps, `Bearer ${apiKey}`)
    expect(await lastUsed()).toBe('2026-03-01T10:01:00.000Z')
  })

  it('rate limits per host with Retry-After, without affecting other hosts', async () => {
    let ms = 1_000_000
    const deps = t.at('2026-03-01T10:00:00Z')
    const gate = new HostGate({ ratePerSecond: 20, burst: 100, now: () => ms })
    const a = await createHost(deps, { name: 'Busy' })
    const b = await createHost(deps, { name: 'Quiet' })
    for (let i = 0; i < 100; i++) await gate.authenticate(deps, `Bearer ${a.apiKey}`)
    const limited = await gate.authenticate(deps, `Bearer ${a.apiKey}`).catch((e: unknown) => e)
    expect(limited).toMatchObject({ statusCode: 429, headers: { 'Retry-After': '1' } })
    expect((await gate.authenticate(deps, `Bearer ${b.apiKey}`)).id).toBe(b.host.id)
    ms += 50 // one token refills at 20/s
    expect((await gate.authenticate(deps, `Bearer ${a.apiKey}`)).id).toBe(a.host.id)
  })

  it('host:list shows the prefix and never a key', async () => {
    const all = await listHosts(t.deps)
    expect(all.length).toBeGreaterThan(0)
    for (const h of all.map(presentHostSummary)) {
      expect(Object.keys(h).sort()).toEqual(['created_at', 'currency', 'host_id', 'key_prefix', 'last_used_at', 'name', 'rate_cents', 'status'])
    }
    const [row] = await t.db.select().from(hosts).where(eq(hosts.name, 'Touchy'))
    expect(row?.keyPrefix).toMatch(/^cairn_host_.{6}$/)
  })
})
