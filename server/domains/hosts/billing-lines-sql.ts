import { and, count, eq, gte, isNull, lt, or, sql, type Column, type SQL } from 'drizzle-orm'
import type { Db } from '../../db'
import { hostBillingLines, hostLicenses, licenses } from '../../db/schema'
import type { Currency } from '../../../shared/contracts/enums'
import { csvRow } from '../../platform/csv'
import type { MonthRange } from './billing-months'

// A report's lines are rendered by PostgreSQL, each as its finished JSON or CSV text, and read
// through one cursor: the server only joins strings (parsing six typed columns and building
// objects, dates and JSON per line cost more than the query). The texts are byte for byte what
// `presentLine` + `JSON.stringify` and `csvRow` give; tests/services/billing.test.ts holds them
// to that on awkward values.

/** Where a report's lines come from: an open month's live links, or a closed month's frozen copy. */
export type LineSource = { kind: 'live', hostId: string, range: MonthRange } | { kind: 'frozen', recordId: string }

/**
 * Billing rule (API.md): a license is billable in month M when it was provisioned before M ended
 * and not revoked before M began; suspended licenses count.
 */
export function billableIn(hostId: string, range: Pick<MonthRange, 'start' | 'end'>): SQL {
  return and(
    eq(hostLicenses.hostId, hostId),
    lt(hostLicenses.provisionedAt, range.end),
    or(isNull(hostLicenses.revokedAt), gte(hostLicenses.revokedAt, range.start)),
  )!
}

/** How many lines an open month has; run in the snapshot its lines are read from. */
export async function countBillable(db: Db, hostId: string, range: MonthRange): Promise<number> {
  const [row] = await db.select({ n: count() }).from(hostLicenses).where(billableIn(hostId, range))
  return row?.n ?? 0
}

const LINE_KEYS = ['licenseId', 'serverId', 'hostname', 'customerEmail', 'provisionedAt', 'revokedAt'] as const
type LineColumns = Record<(typeof LINE_KEYS)[number], SQL>

/** A line's columns as SQL, taken by name from `table` (a frozen line and a live link share the names). */
function lineColumns(table: Record<(typeof LINE_KEYS)[number], Column>): LineColumns {
  return Object.fromEntries(LINE_KEYS.map(key => [key, sql`${table[key]}`])) as LineColumns
}

/** An open month: the host's links, with the hostname the license has now. */
const LIVE = lineColumns({ ...hostLicenses, hostname: licenses.hostname })
/** A closed month: the copy made when it was frozen. */
const FROZEN = lineColumns(hostBillingLines)

/** `Date#toISOString()` of a timestamptz (null stays null), whatever the session's time zone. */
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * One line as JSON text, keys in `presentLine`'s order. `to_json(text)` escapes exactly what
 * `JSON.stringify` escapes (" \ and the C0 controls, \u00xx in lower case for those without a
 * short form); uuids and timestamps need no escaping.
 */
function jsonLine(c: LineColumns, amountCents: number): SQL {
  return sql`'{"license_id":"' || ${c.licenseId}::text
    || '","server_id":' || to_json(${c.serverId})::text
    || ',"hostname":' || coalesce(to_json(${c.hostname})::text, 'null')
    || ',"customer_email":' || to_json(${c.customerEmail})::text
    || ',"provisioned_at":"' || ${iso(c.provisionedAt)}
    || '","revoked_at":' || coalesce('"' || ${iso(c.revokedAt)} || '"', 'null')
    || ${`,"amount_cents":${amountCents}}`}::text`
}

// csvCell's two tests as PostgreSQL regular expressions (bound as parameters, so the tab, CR and
// LF are the characters themselves, not escapes).
const FORMULA_START = '^[=+@\t\r-]'
const NEEDS_QUOTES = '[",\r\n]'

/** csvCell of a text value (null → empty): formulas neutralised with ', then RFC 4180 quoting. */
function csvText(value: SQL): SQL {
  const quoted = (prefix: string) => sql`'"' || ${prefix}::text || replace(${value}, '"', '""') || '"'`
  return sql`case
    when ${value} is null then ''
    when ${value} ~ ${FORMULA_START}::text then case when ${value} ~ ${NEEDS_QUOTES}::text then ${quoted('\'')} else '''' || ${value} end
    when ${value} ~ ${NEEDS_QUOTES}::text then ${quoted('')}
    else ${value} end`
}

/** One line as a CSV row (BILLING_CSV_HEADER's columns); `tail` is the constant rate/amount/currency end. */
function csvLine(c: LineColumns, tail: string): SQL {
  return sql`${c.licenseId}::text
    || ',' || ${csvText(c.serverId)}
    || ',' || ${csvText(c.hostname)}
    || ',' || ${csvText(c.customerEmail)}
    || ',' || ${iso(c.provisionedAt)}
    || ',' || coalesce(${iso(c.revokedAt)}, '')
    || ${tail}::text`
}

/** How a report renders its lines: the text of one line from its columns, and what goes between lines. */
export interface LineFormat {
  line: (c: LineColumns) => SQL
  separator: string
}

export function jsonLines(rateCents: number): LineFormat {
  return { line: c => jsonLine(c, rateCents), separator: ',' }
}

export function csvLines(rateCents: number, currency: Currency): LineFormat {
  // Every line ends the same way: the rate, the amount (one license × the rate) and the currency.
  const tail = `,${csvRow([rateCents, rateCents, currency])}`
  return { line: c => csvLine(c, tail), separator: '' }
}

/** Lines fetched per round trip (and per streamed chunk). */
export const LINE_PAGE = 1000

function linesQuery(source: LineSource, format: LineFormat): SQL {
  if (source.kind === 'frozen') {
    return sql`select ${format.line(FROZEN)} as line from ${hostBillingLines}
      where ${hostBillingLines.recordId} = ${source.recordId}::uuid order by ${hostBillingLines.position}`
  }
  return sql`select ${format.line(LIVE)} as line
      from ${hostLicenses} inner join ${licenses} on ${licenses.id} = ${hostLicenses.licenseId}
     where ${billableIn(source.hostId, source.range)}
     order by ${hostLicenses.provisionedAt}, ${hostLicenses.licenseId}`
}

type LineRows = Array<{ line: string }>

/**
 * A report's lines in order as text, one chunk per page (lines joined by the format's
 * separator), through a server-side cursor: one query, one pass, whatever the planner's
 * statistics say (a cursor favours the index that already has the order; keyset pages re-scanned
 * the host's links per page when statistics were stale: 48 s for 100 000 lines). Runs inside the
 * caller's transaction (iterateInSnapshot), which a cursor needs. The next page is asked for
 * before this one is handed on, so PostgreSQL renders it while the server sends this one.
 */
export async function* lineChunks(db: Db, source: LineSource, format: LineFormat): AsyncGenerator<string> {
  await db.execute(sql`declare billing_lines no scroll cursor for ${linesQuery(source, format)}`)
  const fetchPage = async (): Promise<LineRows> => {
    const result = await db.execute<{ line: string }>(sql.raw(`fetch forward ${LINE_PAGE} from billing_lines`))
    // postgres.js answers with the rows, PGlite with an object holding them.
    return Array.isArray(result) ? result : (result as unknown as { rows: LineRows }).rows
  }
  let pending: Promise<LineRows> | undefined = fetchPage()
  try {
    while (pending) {
      const rows: LineRows = await pending
      pending = rows.length === LINE_PAGE ? fetchPage() : undefined
      if (rows.length > 0) yield rows.map(r => r.line).join(format.separator)
    }
  }
  finally {
    // A consumer that stops early leaves a fetch in flight: let it land before the transaction ends.
    await pending?.catch(() => undefined)
  }
  await db.execute(sql`close billing_lines`)
}
