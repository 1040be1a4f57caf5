import { sql } from 'drizzle-orm'
import type { Deps } from './deps'

/**
 * Transaction-scoped advisory locks on `keys`, taken in one statement in sorted order, so callers
 * locking overlapping sets queue instead of deadlocking. Released when the transaction ends.
 */
export async function lockKeys(deps: Pick<Deps, 'db'>, keys: string[]): Promise<void> {
  if (keys.length === 0) return
  const sorted = JSON.stringify([...new Set(keys)].sort())
  await deps.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from (select json_array_elements_text(${sorted}::json) as k order by 1) locks`)
}
