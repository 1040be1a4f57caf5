import { and, asc, count, eq, gt, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db'
import { hostBillingLines, hostBillingRecords, hostLicenses, hosts, licenses, type Host, type HostBillingRecord } from '../../db/schema'
import type { BillingMonthStatus, Currency } from '../../../shared/contracts/enums'
import { BILLING_CSV_HEADER, MONTH_RE, type BillingLineView, type BillingReportView } from '../../../shared/contracts/host'
import { csvRow } from '../../platform/csv'
import type { Deps } from '../../platform/deps'
import { InvalidInput } from '../../platform/errors'
import { iterateInSnapshot } from '../../platform/snapshot'

// Billing rule (API.md): a license is billable in month M when it was provisioned before M
// ended and not revoked before M began; suspended licenses count. Amount = count × rate.
// The current month is computed live; a past month is frozen on first use and never changes.

export interface MonthRange {
  month: string
  start: Date
  end: Date
  status: BillingMonthStatus
}

export function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`
}

/** The UTC range of `month` and whether it is still open; a future month is a 400 on `month`. */
export function resolveMonth(deps: Pick<Deps, 'clock'>, month: string): MonthRange {
  const match = MONTH_RE.exec(month)
  if (!match) throw new InvalidInput([{ path: 'month', message: 'must be a month in YYYY-MM form (e.g. 2026-03)' }])
  const year = Number(match[1])
  const index = Number(match[2]) - 1
  const start = new Date(Date.UTC(year, index, 1))
  const end = new Date(Date.UTC(year, index + 1, 1))
  const now = deps.clock.now()
  if (start > now) throw new InvalidInput([{ path: 'month', message: `must not be in the future (the current month is ${monthOf(now)})` }])
  return { month, start, end, status: end > now ? 'open' : 'closed' }
}

export interface LineRow {
  licenseId: string
  serverId: string
  hostname: string | null
  customerEmail: string
  provisionedAt: Date
  revokedAt: Date | null
}

/** The header of a report without its lines; `source` says where the lines come from. */
export interface ReportHead {
  month: string
  status: BillingMonthStatus
  currency: Currency
  rateCents: number
  /** Known up front for a frozen month; a live month counts the lines as they are read. */
  billableLicenses: number | null
  amountCents: number | null
  generatedAt: Date
  source: { kind: 'live', hostId: string, range: MonthRange } | { kind: 'frozen', recordId: string }
}

function billableIn(hostId: string, range: Pick<MonthRange, 'start' | 'end'>): SQL | undefined {
  return and(
    eq(hostLicenses.hostId, hostId),
    lt(hostLicenses.provisionedAt, range.end),
    or(isNull(hostLicenses.revokedAt), gte(hostLicenses.revokedAt, range.start)),
  )
}

/**
 * Freezes `host`'s bill for a closed month, or returns the frozen one. Safe when run twice or on
 * several replicas at once: the (host, month) unique index lets one insert win; the others wait
 * for it to commit and read it back.
 */
export async function freezeMonth(deps: Deps, hostId: string, range: MonthRange): Promise<HostBillingRecord> {
  if (range.status !== 'closed') throw new Error(`month ${range.month} is still open`)
  const existing = await findRecord(deps.db, hostId, range.month)
  if (existing) return existing
  const frozen = await deps.db.transaction(async (tx) => {
    const [host] = await tx.select().from(hosts).where(eq(hosts.id, hostId))
    if (!host) throw new Error(`host ${hostId} not found`)
    const [record] = await tx.insert(hostBillingRecords).values({
      hostId,
      month: range.month,
      billableLicenses: 0,
      rateCents: host.rateCents,
      amountCents: 0,
      currency: host.currency,
      generatedAt: deps.clock.now(),
    }).onConflictDoNothing({ target: [hostBillingRecords.hostId, hostBillingRecords.month] }).returning()
    if (!record) return undefined
    await tx.execute(sql`
      insert into ${hostBillingLines} (record_id, position, license_id, server_id, hostname, customer_email, provisioned_at, revoked_at, amount_cents)
      select ${record.id}::uuid,
             row_number() over (order by ${hostLicenses.provisionedAt}, ${hostLicenses.licenseId}),
             ${hostLicenses.licenseId}, ${hostLicenses.serverId}, ${licenses.hostname}, ${hostLicenses.customerEmail},
             ${hostLicenses.provisionedAt}, ${hostLicenses.revokedAt}, ${record.rateCents}::int
      from ${hostLicenses} inner join ${licenses} on ${licenses.id} = ${hostLicenses.licenseId}
      where ${billableIn(hostId, range)}`)
    const [updated] = await tx.update(hostBillingRecords)
      .set({
        billableLicenses: sql`(select count(*)::int from ${hostBillingLines} where ${hostBillingLines.recordId} = ${record.id}::uuid)`,
        amountCents: sql`(select count(*) from ${hostBillingLines} where ${hostBillingLines.recordId} = ${record.id}::uuid) * ${hostBillingRecords.rateCents}`,
      })
      .where(eq(hostBillingRecords.id, record.id))
      .returning()
    return updated
  })
  if (frozen) return frozen
  const winner = await findRecord(deps.db, hostId, range.month)
  if (!winner) throw new Error('billing record vanished after a conflicting insert')
  return winner
}

async function findRecord(db: Db, hostId: string, month: string): Promise<HostBillingRecord | undefined> {
  const [record] = await db.select().from(hostBillingRecords).where(and(eq(hostBillingRecords.hostId, hostId), eq(hostBillingRecords.month, month)))
  return record
}

async function reportHead(deps: Deps, host: Host, range: MonthRange): Promise<ReportHead> {
  if (range.status === 'closed') {
    const record = await freezeMonth(deps, host.id, range)
    return {
      month: record.month,
      status: 'closed',
      currency: record.currency,
      rateCents: record.rateCents,
      billableLicenses: record.billableLicenses,
      amountCents: record.amountCents,
      generatedAt: record.generatedAt,
      source: { kind: 'frozen', recordId: record.id },
    }
  }
  return {
    month: range.month,
    status: 'open',
    currency: host.currency,
    rateCents: host.rateCents,
    billableLicenses: null,
    amountCents: null,
    generatedAt: deps.clock.now(),
    source: { kind: 'live', hostId: host.id, range },
  }
}

const PAGE = 1000

/** The report's lines in order, a page at a time (keyset pagination, so memory stays flat). */
async function* linePages(db: Db, head: ReportHead): AsyncGenerator<LineRow[]> {
  const source = head.source
  if (source.kind === 'frozen') {
    let after = 0
    for (;;) {
      const rows = await db.select({
        position: hostBillingLines.position,
        licenseId: hostBillingLines.licenseId,
        serverId: hostBillingLines.serverId,
        hostname: hostBillingLines.hostname,
        customerEmail: hostBillingLines.customerEmail,
        provisionedAt: hostBillingLines.provisionedAt,
        revokedAt: hostBillingLines.revokedAt,
      }).from(hostBillingLines)
        // A closed range on the primary key (not just `> after ... limit`): the planner picks the
        // index even before the freshly written lines have statistics.
        .where(and(eq(hostBillingLines.recordId, source.recordId), gt(hostBillingLines.position, after), lte(hostBillingLines.position, after + PAGE)))
        .orderBy(asc(hostBillingLines.position))
      if (rows.length > 0) yield rows
      const last = rows.at(-1)
      if (rows.length < PAGE || !last) return
      after = last.position
    }
  }
  yield * livePages(db, source.hostId, source.range)
}

/** `toISOString()` in SQL, so the rows come back as text whichever driver reads them. */
const isoText = (column: typeof hostLicenses.provisionedAt | typeof hostLicenses.revokedAt) =>
  sql<string | null>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

type LiveLine = {
  license_id: string
  server_id: string
  hostname: string | null
  customer_email: string
  provisioned_at: string
  revoked_at: string | null
}

/**
 * A live month's lines through a server-side cursor: one query, one pass, sorted once, whatever
 * the planner's statistics say (keyset pages re-scanned the host's links per page when they were
 * stale: 48 s for 100 000 lines). Runs inside the caller's transaction (iterateInSnapshot).
 */
async function* livePages(db: Db, hostId: string, range: MonthRange): AsyncGenerator<LineRow[]> {
  await db.execute(sql`declare billing_lines no scroll cursor for
    select ${hostLicenses.licenseId} as license_id, ${hostLicenses.serverId} as server_id, ${licenses.hostname} as hostname,
           ${hostLicenses.customerEmail} as customer_email, ${isoText(hostLicenses.provisionedAt)} as provisioned_at,
           ${isoText(hostLicenses.revokedAt)} as revoked_at
      from ${hostLicenses} inner join ${licenses} on ${licenses.id} = ${hostLicenses.licenseId}
     where ${billableIn(hostId, range)}
     order by ${hostLicenses.provisionedAt}, ${hostLicenses.licenseId}`)
  for (;;) {
    const result = await db.execute<LiveLine>(sql.raw(`fetch forward ${PAGE} from billing_lines`))
    // postgres.js answers with the rows, PGlite with an object holding them.
    const rows: LiveLine[] = Array.isArray(result) ? result : (result as unknown as { rows: LiveLine[] }).rows
    if (rows.length > 0) {
      yield rows.map(r => ({
        licenseId: r.license_id,
        serverId: r.server_id,
        hostname: r.hostname,
        customerEmail: r.customer_email,
        provisionedAt: new Date(r.provisioned_at),
        revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
      }))
    }
    if (rows.length < PAGE) break
  }
  await db.execute(sql`close billing_lines`)
}

function presentLine(row: LineRow, amountCents: number): BillingLineView {
  return {
    license_id: row.licenseId,
    server_id: row.serverId,
    hostname: row.hostname,
    customer_email: row.customerEmail,
    provisioned_at: row.provisionedAt.toISOString(),
    revoked_at: row.revokedAt?.toISOString() ?? null,
    amount_cents: amountCents,
  }
}

/** API.md's BillingReport from its head and all of its lines, in order. */
export function presentBillingReport(head: Omit<ReportHead, 'source'>, rows: LineRow[]): BillingReportView {
  const lines = rows.map(row => presentLine(row, head.rateCents))
  return {
    month: head.month,
    status: head.status,
    currency: head.currency,
    rate_cents: head.rateCents,
    // Live months count the lines they list, so the totals can never disagree with the lines.
    billable_licenses: head.billableLicenses ?? lines.length,
    amount_cents: head.amountCents ?? lines.length * head.rateCents,
    generated_at: head.generatedAt.toISOString(),
    lines,
  }
}

/** The whole report as one object (tests and small callers); the API streams `billingJson` instead. */
export async function billingReport(deps: Deps, host: Host, month: string): Promise<BillingReportView> {
  const head = await reportHead(deps, host, resolveMonth(deps, month))
  const rows: LineRow[] = []
  for await (const page of iterateInSnapshot(deps.db, db => linePages(db, head))) rows.push(...page)
  return presentBillingReport(head, rows)
}

/** How many lines a live month has, counted in SQL in the snapshot the lines are read from. */
async function countLines(db: Db, head: ReportHead): Promise<number> {
  if (head.billableLicenses !== null) return head.billableLicenses
  if (head.source.kind !== 'live') throw new Error('a frozen report without its count')
  const [row] = await db.select({ n: count() }).from(hostLicenses).where(billableIn(head.source.hostId, head.source.range))
  return row?.n ?? 0
}

/**
 * API.md's BillingReport as JSON text chunks, byte for byte what `JSON.stringify(billingReport(...))`
 * gives: the head (totals counted in SQL), then the lines a page at a time, all read from one
 * snapshot so the totals always match the lines. Resolves the month (and freezes a closed one)
 * before the first chunk, so input errors still become a 400.
 */
export async function billingJson(deps: Deps, host: Host, month: string): Promise<AsyncGenerator<string>> {
  const head = await reportHead(deps, host, resolveMonth(deps, month))
  return iterateInSnapshot(deps.db, async function* (db) {
    const total = await countLines(db, head)
    const empty = JSON.stringify(presentBillingReport({ ...head, billableLicenses: total, amountCents: head.amountCents ?? total * head.rateCents }, []))
    if (!empty.endsWith('[]}')) throw new Error('BillingReport must end with its lines')
    yield empty.slice(0, -2)
    let separator = ''
    for await (const page of linePages(db, head)) {
      yield separator + page.map(row => JSON.stringify(presentLine(row, head.rateCents))).join(',')
      separator = ','
    }
    yield ']}'
  })
}

export function billingCsvFilename(month: string): string {
  return `cairn-billing-${month}.csv`
}

/**
 * The report as CSV chunks: the header, then one chunk per page of lines. Resolves the month
 * (and freezes a closed one) before the first chunk, so input errors still become a 400.
 */
export async function billingCsv(deps: Deps, host: Host, month: string): Promise<AsyncGenerator<string>> {
  const head = await reportHead(deps, host, resolveMonth(deps, month))
  return iterateInSnapshot(deps.db, async function* (db) {
    yield csvRow(BILLING_CSV_HEADER)
    for await (const page of linePages(db, head)) {
      yield page.map(row => csvRow([
        row.licenseId,
        row.serverId,
        row.hostname,
        row.customerEmail,
        row.provisionedAt.toISOString(),
        row.revokedAt?.toISOString() ?? '',
        head.rateCents,
        head.rateCents,
        head.currency,
      ])).join('')
    }
  })
}

/** `billing:generate`: freezes `month` for every host (idempotent). */
export async function generateBilling(deps: Deps, month: string): Promise<{ month: string, hosts: Array<{ host_id: string, billable_licenses: number, amount_cents: number }> }> {
  const range = resolveMonth(deps, month)
  if (range.status === 'open') throw new InvalidInput([{ path: 'month', message: `${month} is still open; it can be generated once it has ended` }])
  const all = await deps.db.select({ id: hosts.id }).from(hosts).orderBy(asc(hosts.createdAt), asc(hosts.id))
  const out = []
  for (const host of all) {
    const record = await freezeMonth(deps, host.id, range)
    out.push({ host_id: host.id, billable_licenses: record.billableLicenses, amount_cents: record.amountCents })
  }
  return { month, hosts: out }
}
