import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import type { DbHandle } from './index'

/** Arbitrary, fixed: every replica and the CLI contend for the same lock. */
const MIGRATION_LOCK_ID = 0x6361_6972 // "cair"

/** The configured folder, else `drizzle/` beside the built server (.output/server/drizzle), else the project's own. */
export function resolveMigrationsFolder(configured: string | undefined): string {
  const candidates = [
    configured,
    process.argv[1] ? join(dirname(resolve(process.argv[1])), 'drizzle') : undefined,
    join(process.cwd(), 'drizzle'),
  ].filter((c): c is string => Boolean(c))
  const found = candidates.find(c => existsSync(join(c, 'meta', '_journal.json')))
  if (!found) throw new Error(`no migrations folder found (looked in: ${candidates.join(', ')})`)
  return found
}

export async function runMigrations(handle: DbHandle, migrationsFolder: string): Promise<void> {
  await handle.withAdvisoryLock(MIGRATION_LOCK_ID, async () => {
    if (handle.kind === 'pglite') await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder })
    else await migratePostgres(handle.db as unknown as PostgresJsDatabase, { migrationsFolder })
  })
}
