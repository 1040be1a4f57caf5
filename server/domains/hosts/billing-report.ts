import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../db'
import { hostBillingLines, hostLicenses, licenses, type Host } from '../../db/schema'
import type { BillingMonthStatus, Currency } from '../../../shared/contracts/enums'
import type { BillingLineView, BillingReportView } from '../../../shared/contracts/host'
import type { Deps } from '../../platform/deps'
import { freezeMonth } from './billing-freeze'
import { billableIn, type LineSource } from './billing-lines-sql'
import { resolveMonth, type MonthRange } from './billing-months'

// Amount = count × rate. The current month is computed live; a past month is frozen on first
// use and never changes. This file holds a report's head and the report as one object (the
// reference the streamed texts of billing-stream.ts are tested against).

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
  /** Known up front for a frozen month; a live month counts its lines in the snapshot it reads them from. */
  billableLicenses: number | null
  amountCents: number | null
  generatedAt: Date
  source: LineSource
}

/** The head of `host`'s report for `range`, freezing a closed month on first use. */
export async function reportHead(deps: Deps, host: Host, range: MonthRange): Promise<ReportHead> {
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

/** All of a report's lines as typed rows, in report order, in one statement (so one snapshot). */
async function lineRows(db: Db, source: LineSource): Promise<LineRow[]> {
  if (source.kind === 'frozen') {
    return db.select({
      licenseId: hostBillingLines.licenseId,
      serverId: hostBillingLines.serverId,
      hostname: hostBillingLines.hostname,
      customerEmail: hostBillingLines.customerEmail,
      provisionedAt: hostBillingLines.provisionedAt,
      revokedAt: hostBillingLines.revokedAt,
    }).from(hostBillingLines).where(eq(hostBillingLines.recordId, source.recordId)).orderBy(asc(hostBillingLines.position))
  }
  return db.select({
    licenseId: hostLicenses.licenseId,
    serverId: hostLicenses.serverId,
    hostname: licenses.hostname,
    customerEmail: hostLicenses.customerEmail,
    provisionedAt: hostLicenses.provisionedAt,
    revokedAt: hostLicenses.revokedAt,
  }).from(hostLicenses).innerJoin(licenses, eq(licenses.id, hostLicenses.licenseId))
    .where(billableIn(source.hostId, source.range))
    .orderBy(asc(hostLicenses.provisionedAt), asc(hostLicenses.licenseId))
}

/**
 * The whole report as one object, presented in JavaScript (tests and small callers). The API
 * streams `billingJson`/`billingCsv` instead, whose lines PostgreSQL renders: this is what they
 * must equal byte for byte.
 */
export async function billingReport(deps: Deps, host: Host, month: string): Promise<BillingReportView> {
  const head = await reportHead(deps, host, resolveMonth(deps, month))
  return presentBillingReport(head, await lineRows(deps.db, head.source))
}
