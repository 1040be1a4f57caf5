import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../server/db'
import { hosts } from '../../server/db/schema'
import { fixedClock } from '../../server/platform/clock'
import { sha256Hex } from '../../server/platform/crypto'
import { HostGate } from '../../server/domains/hosts/api-keys'
import { createHost, findHostById, listHosts, presentHostSummary, rotateHostKey, setHostStatus } from '../../server/domains/hosts/hosts'
import { createTestDatabase, type TestDatabase } from '../support/db'

let tdb: TestDatabase
let db: Db

beforeAll(async () => {
  tdb = await createTestDatabase('cairn_hostauth')
  db = tdb.handle.db
})
afterAll(() => tdb?.close())

describe('host keys', () => {
  it('are cairn_host_ + 192 random bits; only the SHA-256 and a short prefix are stored', async () => {
    const clock = fixedClock('2026-03-01T00:00:00Z')
    const { host, apiKey } = await createHost(db, { name: 'Acme Hosting' }, clock)
    expect(apiKey).toMatch(/^cairn_host_[A-Za-z0-9_-]{32}$/)
    expect(host).toMatchObject({ apiKeyHash: sha256Hex(apiKey), keyPrefix: apiKey.slice(0, 17), rateCents: 600, currency: 'USD', status: 'active' })
    // The plaintext key appears nowhere in the database (every text column of every table).
    const dump = await db.execute(sql`select string_agg(t::text, '|') as all from (select * from hosts) t`)
    const text = JSON.stringify(dump)
    expect(text).toContain(sha256Hex(apiKey))
    expect(text).not.toContain(apiKey)
    expect(JSON.stringify(presentHostSummary(host))).not.toContain(apiKey)
  })

  it('rotation: the old key stops working, the new one works', async () => {
    const clock = fixedClock('2026-03-01T00:00:00Z')
    const gate = new HostGate(clock)
    const { host, apiKey: oldKey } = await createHost(db, { name: 'Rotator' }, clock)
    expect((await gate.authenticate(db, `Bearer ${oldKey}`)).id).toBe(host.id)
    const { apiKey: newKey } = await rotateHostKey(db, host.id, clock)
    await expect(gate.authenticate(db, `Bearer ${oldKey}`)).rejects.toMatchObject({ statusCode: 401 })
    expect((await gate.authenticate(db, `Bearer ${newKey}`)).id).toBe(host.id)
  })

  it('401 for missing, malformed and unknown keys; 403 for a suspended host', async () => {
    const clock = fixedClock('2026-03-01T00:00:00Z')
    const gate = new HostGate(clock)
    const { host, apiKey } = await createHost(db, { name: 'Status' }, clock)
    for (const header of [undefined, '', 'Basic abc', `Bearer`, `Bearer cairn_host_short`, `Token ${apiKey}`, `Bearer ${apiKey}x`, `Bearer cairn_agent_${'a'.repeat(32)}`]) {
      await expect(gate.authenticate(db, header)).rejects.toMatchObject({ statusCode: 401 })
    }
    await setHostStatus(db, host.id, 'suspended', clock)
    await expect(gate.authenticate(db, `Bearer ${apiKey}`)).rejects.toMatchObject({ statusCode: 403 })
    await setHostStatus(db, host.id, 'active', clock)
    expect((await gate.authenticate(db, `bearer ${apiKey}`)).id).toBe(host.id)
  })

  it('writes last_used_at at most once a minute per host', async () => {
    const clock = fixedClock('2026-03-01T10:00:00Z')
    const gate = new HostGate(clock)
    const { host, apiKey } = await createHost(db, { name: 'Touchy' }, clock)
    await gate.authenticate(db, `Bearer ${apiKey}`)
    expect((await findHostById(db, host.id))?.lastUsedAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z')
    clock.set('2026-03-01T10:00:59Z')
    await gate.authenticate(db, `Bearer ${apiKey}`)
    expect((await findHostById(db, host.id))?.lastUsedAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z')
    clock.set('2026-03-01T10:01:00Z')
    await gate.authenticate(db, `Bearer ${apiKey}`)
    expect((await findHostById(db, host.id))?.lastUsedAt?.toISOString()).toBe('2026-03-01T10:01:00.000Z')
  })

  it('rate limits per host with Retry-After, without affecting other hosts', async () => {
    let ms = 1_000_000
    const clock = fixedClock('2026-03-01T10:00:00Z')
    const gate = new HostGate(clock, { ratePerSecond: 20, burst: 100, now: () => ms })
    const a = await createHost(db, { name: 'Busy' }, clock)
    const b = await createHost(db, { name: 'Quiet' }, clock)
    for (let i = 0; i < 100; i++) await gate.authenticate(db, `Bearer ${a.apiKey}`)
    const limited = await gate.authenticate(db, `Bearer ${a.apiKey}`).catch((e: unknown) => e)
    expect(limited).toMatchObject({ statusCode: 429, headers: { 'Retry-After': '1' } })
    expect((await gate.authenticate(db, `Bearer ${b.apiKey}`)).id).toBe(b.host.id)
    ms += 50 // one token refills at 20/s
    expect((await gate.authenticate(db, `Bearer ${a.apiKey}`)).id).toBe(a.host.id)
  })

  it('host:list shows the prefix and never a key', async () => {
    const all = await listHosts(db)
    expect(all.length).toBeGreaterThan(0)
    for (const h of all.map(presentHostSummary)) {
      expect(Object.keys(h).sort()).toEqual(['created_at', 'currency', 'host_id', 'key_prefix', 'last_used_at', 'name', 'rate_cents', 'status'])
    }
    const [row] = await db.select().from(hosts).where(eq(hosts.name, 'Touchy'))
    expect(row?.keyPrefix).toMatch(/^cairn_host_.{6}$/)
  })
})
