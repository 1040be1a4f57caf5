import { join } from 'node:path'
import { openDb, type DbHandle } from '../../server/db'
import { runMigrations } from '../../server/db/migrate'
import { createEmptyDatabase, postgresReachable } from './postgres'

export const MIGRATIONS = join(import.meta.dirname, '../../drizzle')

export interface TestDatabase {
  handle: DbHandle
  /** Set when the database is a real PostgreSQL server (null on the PGlite fallback). */
  url: string | null
  close(): Promise<void>
}

/**
 * A fresh, migrated database: a new database on the local PostgreSQL when it answers, else an
 * in-memory PGlite. Test files take theirs from `useTestDatabase()` (./test-database.ts).
 */
export async function createTestDatabase(prefix = 'cairn_svc'): Promise<TestDatabase> {
  if (await postgresReachable()) {
    const { url, drop } = await createEmptyDatabase(prefix)
    const handle = await openDb({ databaseUrl: url, maxConnections: 20 })
    await runMigrations(handle, MIGRATIONS)
    return {
      handle,
      url,
      async close() {
        await handle.close()
        await drop()
      },
    }
  }
  const handle = await openDb({ pgliteDir: 'memory://' })
  await runMigrations(handle, MIGRATIONS)
  return { handle, url: null, close: () => handle.close() }
}
