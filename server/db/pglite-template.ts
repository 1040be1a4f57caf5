import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { openDb } from './index'
import { runMigrations } from './migrate'

/**
 * Builds the cluster a fresh embedded data folder starts as a copy of (see initializePgliteDir):
 * initdb done, every migration applied, cleanly shut down.
 *
 * A fresh folder's cold start is mostly creating the cluster's files, one by one (about 0.5 ms
 * each on a small, busy machine), so the template carries only the files a Cairn database uses:
 * - no template0/template1 databases (600 of its 1 100 files). They only serve CREATE DATABASE,
 *   which Cairn never runs; PGlite serves the `postgres` database alone.
 * - no free-space and visibility maps (`_fsm`, `_vm`): optional forks PostgreSQL recreates on
 *   demand (a missing map reads as "no free space known", "no page known all-visible").
 */
export async function buildPgliteTemplate(dir: string, migrationsFolder: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true })
  const handle = await openDb({ pgliteDir: dir })
  try {
    await runMigrations(handle, migrationsFolder)
    for (const name of ['template0', 'template1']) {
      await handle.db.execute(sql.raw(`alter database ${name} is_template false`))
      await handle.db.execute(sql.raw(`drop database ${name}`))
    }
  }
  finally {
    await handle.close()
  }
  removeOptionalForks(dir)
}

function removeOptionalForks(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /^\d+_(fsm|vm)$/.test(entry.name)) rmSync(join(entry.parentPath, entry.name))
  }
}
