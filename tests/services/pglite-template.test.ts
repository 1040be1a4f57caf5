import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { sql, type SQL } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type DbHandle } from '../../server/db'
import { runMigrations } from '../../server/db/migrate'
import { initializePgliteDir } from '../../server/db/pglite-init'
import { buildPgliteTemplate } from '../../server/db/pglite-template'
import { users } from '../../server/db/schema'
import { MIGRATIONS } from '../support/db'

// The build's template cluster (modules/pglite-template.ts), which every fresh embedded data
// folder starts as a copy of: migrated, and only the files a Cairn database uses.
let root: string
let template: string
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cairn-pglite-template-'))
  template = join(root, 'template')
  await buildPgliteTemplate(template, MIGRATIONS)
}, 120_000)
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Rows of a raw query on PGlite (drizzle's pglite driver answers `{ rows }`). */
async function rows(handle: DbHandle, query: SQL): Promise<unknown[]> {
  return (await handle.db.execute(query) as unknown as { rows: unknown[] }).rows
}

const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }

describe('the embedded template cluster', () => {
  it('holds one database and no optional free-space or visibility maps', () => {
    expect(readdirSync(join(template, 'base'))).toHaveLength(1)
    const files = readdirSync(template, { recursive: true, withFileTypes: true }).filter(e => e.isFile()).map(e => relative(template, join(e.parentPath, e.name)))
    expect(files.filter(f => /_(fsm|vm)$/.test(f))).toEqual([])
    expect(files).toContain('PG_VERSION')
  })

  it('gives a fresh data folder a migrated database that takes writes and keeps them across a restart', async () => {
    const dir = join(root, 'data/pglite')
    await initializePgliteDir(dir, template)
    let handle = await openDb({ pgliteDir: dir })
    try {
      expect(await rows(handle, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).toEqual([{ n: journal.entries.length }])
      await runMigrations(handle, MIGRATIONS) // the start-up check: nothing left to apply
      expect(await rows(handle, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).toEqual([{ n: journal.entries.length }])
      expect(await rows(handle, sql`select datname from pg_database`)).toEqual([{ datname: 'postgres' }])
      await handle.db.insert(users).values({ email: 'template@example.com', passwordHash: 'x' })
      await handle.db.execute(sql`vacuum analyze users`) // recreates the maps the template leaves out
    }
    finally {
      await handle.close()
    }
    handle = await openDb({ pgliteDir: dir })
    try {
      expect(await handle.db.select({ email: users.email }).from(users)).toEqual([{ email: 'template@example.com' }])
    }
    finally {
      await handle.close()
    }
  })
})
