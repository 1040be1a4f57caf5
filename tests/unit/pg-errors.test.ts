import { describe, expect, it } from 'vitest'
import { isForeignKeyViolation, isTransactionConflict, isUniqueViolation } from '../../server/platform/pg-errors'

/** A driver error (code on the error itself) as drizzle wraps it: a query error whose `cause` is the driver's. */
function wrapped(code: string): Error {
  const driver = Object.assign(new Error('driver'), { code })
  return new Error('Failed query: insert …', { cause: driver })
}

describe('PostgreSQL error classes', () => {
  it('finds the SQLSTATE on the error or anywhere along its cause chain', () => {
    expect(isUniqueViolation(Object.assign(new Error('x'), { code: '23505' }))).toBe(true)
    expect(isUniqueViolation(wrapped('23505'))).toBe(true)
    expect(isUniqueViolation(new Error('outer', { cause: wrapped('23505') }))).toBe(true)
    expect(isForeignKeyViolation(wrapped('23503'))).toBe(true)
    expect(isTransactionConflict(wrapped('40001'))).toBe(true)
    expect(isTransactionConflict(wrapped('40P01'))).toBe(true)
  })

  it('tells the classes apart and ignores anything without a matching code', () => {
    expect(isUniqueViolation(wrapped('23503'))).toBe(false)
    expect(isForeignKeyViolation(wrapped('23505'))).toBe(false)
    expect(isTransactionConflict(wrapped('23505'))).toBe(false)
    expect(isUniqueViolation(wrapped('ECONNREFUSED'))).toBe(false)
    for (const value of [undefined, null, '23505', 23505, {}, new Error('23505')]) {
      expect(isUniqueViolation(value)).toBe(false)
    }
  })

  it('stops on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown }
    const b = new Error('b', { cause: a })
    a.cause = b
    expect(isUniqueViolation(a)).toBe(false)
  })
})
