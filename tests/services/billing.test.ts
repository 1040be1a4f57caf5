import { describe, expect, it } from 'vitest'
import { and, count, eq } from 'drizzle-orm'
import { hostBillingLines, hostBillingRecords, hostLicenses, licenses } from '../../server/db/schema'
import { billingCsv, billingJson, billingReport, freezeMonth, generateBilling, resolveMonth } from '../../server/domains/hosts/billing'
import { revokeHostLicense, suspendHostLicense } from '../../server/domains/hosts/host-licenses'
import { findHostById, setHostRate } from '../../server/domains/hosts/hosts'
import { csvRow } from '../../server/platform/csv'
import { BILLING_CSV_HEADER } from '../../shared/contracts/host'
import { provisionLicenses } from '../../server/domains/hosts/provisioning'
import { HOST_TEST_TIME, makeHost, seedHostLicensesSql, server } from '../support/host-fixtures'
import { useTestDatabase } from '../support/test-database'

const t = useTestDatabase('cairn_billing')

/** A new host (made at the start of 2026) and deps whose clock the test moves. */
async function newHost(rateCents = 600) {
  const { host } = await makeHost(t.at('2026-01-01T00:00:00Z'), rateCents)
  return { deps: t.at(HOST_TEST_TIME), h: host }
}

async function provisionAt(deps: ReturnType<typeof t.at>, hostId: string, at: string, n: string) {
  deps.clock.set(at)
  const [r] = await provisionLicenses(deps, { id: hostId }, { kind: 'single', servers: [server(n)] })
  return r!.license
}

async function host(id: string) {
  const h = await findHostById(t.deps, id)
  if (!h) throw new Error('host missing')
  return h
}

/** The report as asked for at `now`. */
async function reportAt(now: string, hostId: string, month: string) {
  return billingReport(t.at(now), await host(hostId), month)
}

async function csvText(hostId: string, month: string, now: string) {
  let text = ''
  let chunks = 0
  for await (const chunk of await billingCsv(t.at(now), await host(hostId), month)) {
    text += chunk
    chunks++
  }
  return { text, chunks }
}

describe('month boundaries (UTC)', () => {
  it('provisioned on the last second of a month and revoked on the first second of the next is billable in both, not after', async () => {
    const { deps, h } = await newHost()
    const edge = await provisionAt(deps, h.id, '2026-01-31T23:59:59.999Z', 'edge')
    deps.clock.set('2026-02-01T00:00:00.000Z')
    await revokeHostLicense(deps, h.id, edge.license_id)
    // A second one provisioned exactly when February begins is not billable in January.
    const feb = await provisionAt(deps, h.id, '2026-02-01T00:00:00.000Z', 'feb')

    const jan = await reportAt('2026-04-10T00:00:00Z', h.id, '2026-01')
    expect(jan.lines.map(l => l.license_id)).toEqual([edge.license_id])
    const febReport = await reportAt('2026-04-10T00:00:00Z', h.id, '2026-02')
    expect(febReport.lines.map(l => l.license_id)).toEqual([edge.license_id, feb.license_id])
    expect(febReport.lines[0]?.revoked_at).toBe('2026-02-01T00:00:00.000Z')
    const mar = await reportAt('2026-04-10T00:00:00Z', h.id, '2026-03')
    expect(mar.lines.map(l => l.license_id)).toEqual([feb.license_id])
    expect(mar).toMatchObject({ status: 'closed', billable_licenses: 1, amount_cents: 600, rate_cents: 600, currency: 'USD' })
  })

  it('revoked a millisecond before the month began → not billable in that month', async () => {
    const { deps, h } = await newHost()
    const l = await provisionAt(deps, h.id, '2026-01-10T00:00:00Z', 'early')
    deps.clock.set('2026-01-31T23:59:59.999Z')
    await revokeHostLicense(deps, h.id, l.license_id)
    const feb = await reportAt('2026-03-02T00:00:00Z', h.id, '2026-02')
    expect(feb.billable_licenses).toBe(0)
    expect(feb.lines).toEqual([])
  })

  it('suspended licenses stay billable', async () => {
    const { deps, h } = await newHost()
    const l = await provisionAt(deps, h.id, '2026-02-03T00:00:00Z', 'susp')
    await suspendHostLicense(deps, h.id, l.license_id)
    const report = await reportAt('2026-02-20T00:00:00Z', h.id, '2026-02')
    expect(report).toMatchObject({ status: 'open', billable_licenses: 1, amount_cents: 600 })
  })

  it('resolveMonth: open for the current month, closed before, 400 on month for the future or bad shapes', () => {
    const lastMoment = t.at('2026-03-31T23:59:59.999Z')
    expect(resolveMonth(lastMoment, '2026-03').status).toBe('open')
    expect(resolveMonth(lastMoment, '2026-02').status).toBe('closed')
    expect(resolveMonth(t.at('2026-04-01T00:00:00Z'), '2026-03').status).toBe('closed')
    for (const bad of ['2026-04', '2027-01', '2026-13', '2026-1', '../', '2026-00']) {
      expect(() => resolveMonth(lastMoment, bad)).toThrowError(expect.objectContaining({ statusCode: 400, data: { issues: [expect.objectContaining({ path: 'month' })] } }))
    }
  })
})

describe('open and closed months', () => {
  it('the open month is live; a closed month is frozen on first request and never changes (rate, revokes, renames)', async () => {
    const { deps, h } = await newHost(500)
    const a = await provisionAt(deps, h.id, '2026-02-02T00:00:00Z', 'fa')
    await provisionAt(deps, h.id, '2026-02-03T00:00:00Z', 'fb')

    const during = '2026-02-15T00:00:00Z'
    const live1 = await reportAt(during, h.id, '2026-02')
    expect(live1).toMatchObject({ status: 'open', billable_licenses: 2, amount_cents: 1000, rate_cents: 500, generated_at: '2026-02-15T00:00:00.000Z' })
    await setHostRate(t.at(during), h.id, 700)
    const live2 = await reportAt(during, h.id, '2026-02')
    expect(live2).toMatchObject({ rate_cents: 700, amount_cents: 1400 })

    const after = '2026-03-05T00:00:00Z'
    const frozen = await reportAt(after, h.id, '2026-02')
    expect(frozen).toMatchObject({ status: 'closed', billable_licenses: 2, rate_cents: 700, amount_cents: 1400, generated_at: '2026-03-05T00:00:00.000Z' })

    // Everything that could change the bill changes, and the closed month does not.
    await setHostRate(t.at(after), h.id, 900)
    await provisionAt(deps, h.id, '2026-01-15T00:00:00Z', 'backdated')
    deps.clock.set('2026-03-06T00:00:00Z')
    await deps.db.update(licenses).set({ hostname: 'renamed.example.net' }).where(eq(licenses.id, a.license_id))
    const later = await reportAt('2026-05-01T00:00:00Z', h.id, '2026-02')
    expect(later).toEqual(frozen)
    const [records] = await t.db.select({ n: count() }).from(hostBillingRecords).where(eq(hostBillingRecords.hostId, h.id))
    expect(records?.n).toBe(1)
  })

  it('freezing is safe when many callers race for the same month', async () => {
    const { deps, h } = await newHost()
    for (let i = 0; i < 5; i++) await provisionAt(deps, h.id, `2026-01-0${i + 1}T00:00:00Z`, `race-${i}`)
    const freezing = t.at('2026-02-10T00:00:00Z')
    const range = resolveMonth(freezing, '2026-01')
    const records = await Promise.all(Array.from({ length: 10 }, () => freezeMonth(freezing, h.id, range)))
    expect(new Set(records.map(r => r.id)).size).toBe(1)
    expect(records[0]).toMatchObject({ billableLicenses: 5, amountCents: 3000 })
    const [lines] = await t.db.select({ n: count() }).from(hostBillingLines).where(eq(hostBillingLines.recordId, records[0]!.id))
    expect(lines?.n).toBe(5)
  })

  it('generateBilling freezes every host, is idempotent and refuses the open month', async () => {
    const deps = t.at(HOST_TEST_TIME)
    const a = await makeHost(t.at('2025-01-01T00:00:00Z'), 600)
    const b = await makeHost(t.at('2025-01-01T00:00:00Z'), 450)
    for (let i = 0; i < 3; i++) await provisionAt(deps, a.host.id, '2025-06-10T00:00:00Z', `ga-${i}`)
    await provisionAt(deps, b.host.id, '2025-06-11T00:00:00Z', 'gb-0')
    const july = t.at('2025-07-02T00:00:00Z')
    const [first, second] = await Promise.all([generateBilling(july, '2025-06'), generateBilling(july, '2025-06')])
    expect(second).toEqual(first)
    expect(first.hosts).toEqual(expect.arrayContaining([
      { host_id: a.host.id, billable_licenses: 3, amount_cents: 1800 },
      { host_id: b.host.id, billable_licenses: 1, amount_cents: 450 },
    ]))
    expect(await generateBilling(t.at('2025-09-01T00:00:00Z'), '2025-06')).toEqual(first)
    await expect(generateBilling(july, '2025-07')).rejects.toMatchObject({ statusCode: 400 })
    const [rows] = await t.db.select({ n: count() }).from(hostBillingRecords).where(and(eq(hostBillingRecords.hostId, a.host.id), eq(hostBillingRecords.month, '2025-06')))
    expect(rows?.n).toBe(1)
  })
})

describe('CSV', () => {
  it('has the exact header, one row per line, RFC 4180 quoting and neutralised formulas', async () => {
    const { deps, h } = await newHost()
    const l1 = await provisionAt(deps, h.id, '2026-02-02T00:00:00Z', 'csv-1')
    const l2 = await provisionAt(deps, h.id, '2026-02-03T00:00:00Z', 'csv-2')
    const l3 = await provisionAt(deps, h.id, '2026-02-04T00:00:00Z', 'csv-3')
    // Hostnames from any path (older data, an operator fix) must still come out safe.
    await t.db.update(licenses).set({ hostname: '=cmd|\' /C calc\'!A0' }).where(eq(licenses.id, l1.license_id))
    await t.db.update(licenses).set({ hostname: 'a,b "quoted"\nnext' }).where(eq(licenses.id, l2.license_id))
    await t.db.update(hostLicenses).set({ customerEmail: '+sum@example.com' }).where(eq(hostLicenses.licenseId, l3.license_id))

    for (const now of ['2026-02-20T00:00:00Z', '2026-03-20T00:00:00Z']) {
      const { text } = await csvText(h.id, '2026-02', now)
      const lines = text.split('\r\n')
      expect(lines[0]).toBe('license_id,server_id,hostname,customer_email,provisioned_at,revoked_at,rate_cents,amount_cents,currency')
      expect(lines[1]).toBe(`${l1.license_id},srv-csv-1,'=cmd|' /C calc'!A0,customer${'csv-1'}@example.com,2026-02-02T00:00:00.000Z,,600,600,USD`)
      expect(text).toContain(`${l2.license_id},srv-csv-2,"a,b ""quoted""\nnext",customercsv-2@example.com,`)
      expect(text).toContain(`${l3.license_id},srv-csv-3,mc3.example.net,'+sum@example.com,`.replace('mc3', 'mccsv-3'))
      expect(text.endsWith('\r\n')).toBe(true)
    }
  })

  it('is produced page by page: 2 500 lines arrive in several chunks', async () => {
    const { h } = await newHost()
    await seedHostLicensesSql(t.db, h.id, 2500, '2026-02-05T00:00:00Z')
    const { text, chunks } = await csvText(h.id, '2026-02', '2026-02-20T00:00:00Z')
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(2501)
    expect(chunks).toBeGreaterThanOrEqual(4)
    const frozen = await csvText(h.id, '2026-02', '2026-03-20T00:00:00Z')
    expect(frozen.text).toBe(text)
    expect(frozen.chunks).toBeGreaterThanOrEqual(4)
  })
})

describe('streamed JSON', () => {
  async function jsonText(hostId: string, month: string, now: string) {
    const chunks: string[] = []
    for await (const chunk of await billingJson(t.at(now), await host(hostId), month)) chunks.push(chunk)
    return { text: chunks.join(''), chunks: chunks.length }
  }

  it('is byte for byte the report computed as one object, open and frozen, over several pages, with revoked and renamed lines', async () => {
    const { deps, h } = await newHost(450)
    await seedHostLicensesSql(t.db, h.id, 2100, '2026-02-05T00:00:00Z')
    const revoked = await provisionAt(deps, h.id, '2026-02-06T00:00:00Z', 'json-rev')
    deps.clock.set('2026-02-07T00:00:00Z')
    await revokeHostLicense(deps, h.id, revoked.license_id)
    const odd = await provisionAt(deps, h.id, '2026-02-08T00:00:00Z', 'json-odd')
    await t.db.update(licenses).set({ hostname: 'ünïcode "quoted" \\ name\n' }).where(eq(licenses.id, odd.license_id))

    const lines: unknown[] = []
    for (const now of ['2026-02-20T00:00:00Z', '2026-03-20T00:00:00Z', '2026-04-01T00:00:00Z']) {
      const streamed = await jsonText(h.id, '2026-02', now)
      const computed = await reportAt(now, h.id, '2026-02')
      expect(streamed.text).toBe(JSON.stringify(computed))
      expect(streamed.chunks).toBeGreaterThanOrEqual(4)
      expect(computed).toMatchObject({ billable_licenses: 2102, amount_cents: 2102 * 450 })
      lines.push(computed.lines)
    }
    // The live read (a cursor) and the frozen copy (written by one INSERT … SELECT) list the same lines.
    expect(lines[1]).toEqual(lines[0])
    expect(lines[2]).toEqual(lines[0])
    // A month without lines is still a whole report.
    const empty = await jsonText(h.id, '2026-01', '2026-02-20T00:00:00Z')
    expect(JSON.parse(empty.text)).toEqual(await reportAt('2026-02-20T00:00:00Z', h.id, '2026-01'))
    expect(empty.text).toBe(JSON.stringify(await reportAt('2026-02-20T00:00:00Z', h.id, '2026-01')))
  })

  it('a client that stops reading ends the snapshot: the next report still answers', async () => {
    const { h } = await newHost()
    await seedHostLicensesSql(t.db, h.id, 2500, '2026-02-05T00:00:00Z')
    const chunks = await billingJson(t.at('2026-02-20T00:00:00Z'), await host(h.id), '2026-02')
    expect((await chunks.next()).value).toMatch(/^\{"month":"2026-02","status":"open"/)
    await chunks.next()
    await chunks.return(undefined)
    const again = await jsonText(h.id, '2026-02', '2026-02-20T00:00:00Z')
    expect(JSON.parse(again.text)).toMatchObject({ billable_licenses: 2500 })
  })
})

describe('lines rendered by PostgreSQL', () => {
  // The streamed lines are JSON and CSV text made in SQL (to_json, to_char, the csvCell rules as
  // SQL); the reference is the report presented in JavaScript (JSON.stringify, csvRow).
  const AWKWARD = [
    null,
    '',
    '-1+2',
    '@SUM(A1)',
    '\tindented',
    '\rcarriage',
    'line\nbreak',
    'comma,here',
    'quote"here',
    '"=starts quoted"',
    'back\\slash \u0001\u0008\u000b\u000c\u001f\u007f',
    'émoji 🎮 \u2028\u2029 ünïcode',
    '=HYPERLINK("http://x","y"),\r\n',
  ]

  it('JSON and CSV equal the JavaScript presentation on awkward values, open and frozen, across pages', async () => {
    const { deps, h } = await newHost(725)
    await seedHostLicensesSql(t.db, h.id, 1500, '2026-02-05T00:00:00Z')
    const odd = []
    for (const [i, value] of AWKWARD.entries()) {
      const l = await provisionAt(deps, h.id, `2026-02-06T00:00:${String(i).padStart(2, '0')}.${String(i * 37).padStart(3, '0')}Z`, `awk-${i}`)
      await t.db.update(licenses).set({ hostname: value }).where(eq(licenses.id, l.license_id))
      if (value !== null) await t.db.update(hostLicenses).set({ serverId: value, customerEmail: value }).where(eq(hostLicenses.licenseId, l.license_id))
      odd.push(l)
    }
    deps.clock.set('2026-02-07T00:00:00.001Z')
    await revokeHostLicense(deps, h.id, odd[3]!.license_id)

    for (const now of ['2026-02-20T00:00:00Z', '2026-03-20T00:00:00Z']) {
      const report = await reportAt(now, h.id, '2026-02')
      expect(report.billable_licenses).toBe(1500 + AWKWARD.length)
      let json = ''
      for await (const chunk of await billingJson(t.at(now), await host(h.id), '2026-02')) json += chunk
      expect(json).toBe(JSON.stringify(report))
      const expectedCsv = csvRow(BILLING_CSV_HEADER) + report.lines.map(l => csvRow([
        l.license_id, l.server_id, l.hostname, l.customer_email, l.provisioned_at, l.revoked_at ?? '', l.amount_cents, l.amount_cents, report.currency,
      ])).join('')
      expect((await csvText(h.id, '2026-02', now)).text).toBe(expectedCsv)
    }
  })
})
