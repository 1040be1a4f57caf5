import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pageQueryFields } from '../../shared/contracts/pagination'
import { listLicensesQuerySchema } from '../../shared/contracts/host'
import { transactionQuerySchema } from '../../shared/contracts/webstore'
import { decodeCursor, encodeCursor, takePage } from '../../server/platform/pagination'
import { parseInput } from '../../server/platform/validation'

const id = '6f1c2a9e-1b2c-4d3e-8f40-123456789abc'
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

/** The 400's issues for a cursor decodeCursor refuses (fails the test when it is accepted). */
function refusal(cursor: string): unknown {
  try {
    decodeCursor(cursor)
  }
  catch (error) {
    expect(error).toMatchObject({ statusCode: 400 })
    return (error as { data: { issues: unknown } }).data.issues
  }
  throw new Error(`accepted ${cursor}`)
}

describe('list cursor', () => {
  it('round-trips a position with microseconds and is opaque (URL-safe base64)', () => {
    const position = { at: '2026-03-01T12:34:56.789012Z', id }
    const cursor = encodeCursor(position)
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeCursor(cursor)).toEqual(position)
  })

  it('refuses forged and malformed cursors with a 400 on cursor', () => {
    const forged = [
      '', 'x', 'garbage!', 'Zm9v',
      b64(`2026-03-01T12:34:56.789Z|${id}`), // milliseconds only
      b64(JSON.stringify(['2026-03-01T12:34:56.789Z', id])), // another encoding
      b64('2026-03-01T12:34:56.789012Z|not-a-uuid'),
      b64(`2026-03-01T12:34:56.789012Z|${id}|extra`),
      // Well-formed but no instant PostgreSQL accepts: a 500 if they reached the query.
      b64(`2024-02-30T00:00:00.000000Z|${id}`),
      b64(`2024-01-01T24:00:00.000000Z|${id}`),
      b64(`0000-01-01T00:00:00.000000Z|${id}`),
    ]
    for (const cursor of forged) {
      expect(refusal(cursor), cursor).toEqual([{ path: 'cursor', message: 'is not a valid cursor: use next_cursor from a previous page' }])
    }
    expect(decodeCursor(b64(`2024-02-29T23:59:59.123456Z|${id}`)).at).toBe('2024-02-29T23:59:59.123456Z')
  })

  it('a page is the first `limit` rows; the next cursor is the last of them, only when more follow', () => {
    const rows = [1, 2, 3].map(n => ({ at: `2026-01-0${n}T00:00:00.000000Z`, id }))
    expect(takePage(rows, 2, r => r)).toEqual({ rows: rows.slice(0, 2), next: rows[1] })
    expect(takePage(rows, 3, r => r)).toEqual({ rows, next: undefined })
    expect(takePage([], 3, r => r)).toEqual({ rows: [], next: undefined })
  })
})

describe('list limit and cursor parameters', () => {
  const page = z.object(pageQueryFields)

  it('limit defaults to absent and takes 1 to 500', () => {
    expect(parseInput(page, {})).toEqual({})
    expect(parseInput(page, { limit: '1', cursor: 'abc' })).toEqual({ limit: 1, cursor: 'abc' })
    expect(parseInput(page, { limit: '500' })).toEqual({ limit: 500 })
  })

  it('every list refuses the same bad values with the same message', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ limit: '0' }, 'limit', 'must be an integer from 1 to 500'],
      [{ limit: '501' }, 'limit', 'must be an integer from 1 to 500'],
      [{ limit: 'ten' }, 'limit', 'must be an integer from 1 to 500'],
      [{ limit: '-1' }, 'limit', 'must be an integer from 1 to 500'],
      [{ limit: ['1', '2'] }, 'limit', 'must be given once'],
      [{ cursor: ['a', 'b'] }, 'cursor', 'must be given once'],
      [{ cursor: 'x'.repeat(201) }, 'cursor', 'is not a valid cursor: use next_cursor from a previous page'],
    ]
    for (const schema of [page, listLicensesQuerySchema, transactionQuerySchema]) {
      for (const [query, path, message] of cases) {
        expect(() => parseInput(schema, query), JSON.stringify(query)).toThrowError(expect.objectContaining({ statusCode: 400, data: { issues: [{ path, message }] } }))
      }
    }
  })
})
