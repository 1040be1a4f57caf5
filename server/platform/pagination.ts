import { sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { INVALID_CURSOR_MESSAGE } from '../../shared/contracts/pagination'
import { InvalidInput } from './errors'

// Keyset pagination over (timestamp, uuid). The cursor is opaque to clients: base64url of
// `<timestamp>|<id>`, the key of the last row returned. The timestamp keeps PostgreSQL's
// microseconds (a JS Date would round them, and the next page would skip or repeat rows).

export interface CursorPosition {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  at: string
  id: string
}

const CURSOR_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.at}|${position.id}`, 'utf8').toString('base64url')
}

/**
 * Must name an instant PostgreSQL accepts, or the query would fail with a 500: Date.parse rolls
 * Feb 30 and 24:00 over where PostgreSQL refuses them, and year 0 does not exist there.
 */
function isRealTimestamp(micros: string): boolean {
  const ms = Date.parse(micros)
  return !Number.isNaN(ms) && !micros.startsWith('0000') && new Date(ms).toISOString().slice(0, 19) === micros.slice(0, 19)
}

/** The position a cursor names; anything not made by encodeCursor is a 400 on `cursor`. */
export function decodeCursor(cursor: string): CursorPosition {
  const match = /^[A-Za-z0-9_-]+$/.test(cursor) ? CURSOR_RE.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null
  if (!match?.[1] || !match[2] || !isRealTimestamp(match[1])) {
    throw new InvalidInput([{ path: 'cursor', message: INVALID_CURSOR_MESSAGE }])
  }
  return { at: match[1], id: match[2] }
}

/** Select this beside the row: the cursor text of a timestamptz column (UTC, microseconds). */
export function cursorTimestamp(column: PgColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
}

/** Rows past `position` in a list ordered by (at, id), ascending or descending. */
export function pastPosition(at: PgColumn, id: PgColumn, position: CursorPosition, order: 'asc' | 'desc'): SQL {
  return order === 'asc'
    ? sql`(${at}, ${id}) > (${position.at}::timestamptz, ${position.id}::uuid)`
    : sql`(${at}, ${id}) < (${position.at}::timestamptz, ${position.id}::uuid)`
}

/**
 * One page out of `limit + 1` fetched rows: the extra row only says that more follow; the next
 * page starts after the last row kept.
 */
export function takePage<T>(rows: T[], limit: number, position: (row: T) => CursorPosition): { rows: T[], next: CursorPosition | undefined } {
  const kept = rows.slice(0, limit)
  const last = kept.at(-1)
  return { rows: kept, next: rows.length > limit && last ? position(last) : undefined }
}
