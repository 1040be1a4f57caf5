import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { hostBillingRecords, hosts } from '../../server/db/schema'
import { sha256Hex } from '../../server/platform/crypto'
import { runCli } from '../support/cli'
import { seedHostLicensesSql } from '../support/host-fixtures'
import { TEST_APP_SECRET } from '../support/keys'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_hostcli')

async function cairn(...args: string[]): Promise<{ code: number | null, json: Record<string, unknown>, stderr: string }> {
  const res = await runCli(args, { DATABASE_URL: t.url!, APP_SECRET: TEST_APP_SECRET, DATA_DIR: mkdtempSync(join(tmpdir(), 'cairn-cli-')) })
  return { code: res.code, json: (res.json ?? {}) as Record<string, unknown>, stderr: res.stderr }
}

describe('host and billing CLI', () => {

  it('host:create, host:list, host:set-rate, host:rotate-key, host:suspend, host:activate, billing:generate', async () => {
    if (!t.url) return // the CLI needs a server database; PGlite in memory is per process
    const created = await cairn('host:create', '--name', 'Acme Hosting', '--rate-cents', '450', '--currency', 'eur')
    expect(created.code).toBe(0)
    expect(created.json).toEqual({ host_id: expect.any(String), name: 'Acme Hosting', api_key: expect.stringMatching(/^cairn_host_/), rate_cents: 450, currency: 'EUR' })
    const hostId = created.json.host_id as string
    const key = created.json.api_key as string

    const listed = await cairn('host:list')
    expect(JSON.stringify(listed.json)).not.toContain(key)
    expect(listed.json.hosts).toEqual([expect.objectContaining({ host_id: hostId, name: 'Acme Hosting', status: 'active', rate_cents: 450, currency: 'EUR', key_prefix: key.slice(0, 17), last_used_at: null })])

    expect((await cairn('host:set-rate', '--host', hostId, '--rate-cents', '500')).json).toEqual({ host_id: hostId, rate_cents: 500 })
    const rotated = await cairn('host:rotate-key', '--host', hostId)
    expect(rotated.json).toEqual({ host_id: hostId, api_key: expect.stringMatching(/^cairn_host_/) })
    const [row] = await t.db.select().from(hosts).where(eq(hosts.id, hostId))
    expect(row?.apiKeyHash).toBe(sha256Hex(rotated.json.api_key as string))

    expect((await cairn('host:suspend', '--host', hostId)).json).toEqual({ host_id: hostId, status: 'suspended' })
    expect((await t.db.select({ status: hosts.status }).from(hosts).where(eq(hosts.id, hostId)))[0]?.status).toBe('suspended')
    expect((await cairn('host:activate', '--host', hostId)).json).toEqual({ host_id: hostId, status: 'active' })
    expect((await t.db.select({ status: hosts.status }).from(hosts).where(eq(hosts.id, hostId)))[0]?.status).toBe('active')

    await seedHostLicensesSql(t.db, hostId, 4, '2025-05-20T00:00:00Z', 'cli')
    const [a, b] = await Promise.all([cairn('billing:generate', '--month', '2025-05'), cairn('billing:generate', '--month', '2025-05')])
    expect(a.json).toEqual({ month: '2025-05', hosts: [{ host_id: hostId, billable_licenses: 4, amount_cents: 2000 }] })
    expect(b.json).toEqual(a.json)
    const records = await t.db.select().from(hostBillingRecords).where(eq(hostBillingRecords.hostId, hostId))
    expect(records).toHaveLength(1)
  }, 60_000)

  it('refuses bad flags with exit code 2 and a message', async () => {
    if (!t.url) return
    const cases: Array<[string[], RegExp]> = [
      [['host:create', '--name', 'X', '--currency', 'JPY'], /currency/],
      [['host:rotate-key', '--host', '00000000-0000-4000-8000-000000000000'], /not found/i],
      [['billing:generate', '--month', '2026-13'], /month/],
      [['host:suspend', '--host', 'acme'], /^error: --host: must be a host id/],
      [['host:activate', '--host', '00000000-0000-4000-8000-000000000000'], /not found/i],
    ]
    await Promise.all(cases.map(async ([args, message]) => {
      const res = await cairn(...args)
      expect(res.code, args.join(' ')).toBe(2)
      expect(res.stderr).toMatch(message)
    }))
  }, 60_000)
})
