// PostgreSQL error classes (SQLSTATE) the domain branches on. Drizzle wraps driver errors, so the
// code is looked for along the `cause` chain; postgres.js and PGlite both put it in `code`.

const UNIQUE_VIOLATION = '23505'
const FOREIGN_KEY_VIOLATION = '23503'
const SERIALIZATION_FAILURE = '40001'
const DEADLOCK_DETECTED = '40P01'

/** Whether `error`, or any error in its `cause` chain, carries one of these SQLSTATE codes. */
function hasPgErrorCode(error: unknown, ...codes: string[]): boolean {
  const seen = new Set<unknown>()
  for (let e: unknown = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && codes.includes(code)) return true
  }
  return false
}

/** A unique index refused the row (someone else holds that key). */
export function isUniqueViolation(error: unknown): boolean {
  return hasPgErrorCode(error, UNIQUE_VIOLATION)
}

/** A foreign key refused the change (a row still references it, or the referenced row is gone). */
export function isForeignKeyViolation(error: unknown): boolean {
  return hasPgErrorCode(error, FOREIGN_KEY_VIOLATION)
}

/** The transaction lost to a concurrent one and may succeed when run again from the start. */
export function isTransactionConflict(error: unknown): boolean {
  return hasPgErrorCode(error, SERIALIZATION_FAILURE, DEADLOCK_DETECTED)
}
