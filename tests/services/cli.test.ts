import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { count, eq, sql } from 'drizzle-orm'
import { acquireDataDirLock } from '../../server/db/data-dir-lock'
import { licenses, users } from '../../server/db/schema'
import { openDb, type DbHandle } from '../../server/db'
import { runMigrations } from '../../server/db/migrate'
import { createEmptyDatabase, postgresReachable } from '../support/postgres'
import { runCli } from '../support/cli'
import { MIGRATIONS } from '../support/db'
import { TEST_APP_SECRET } from '../support/keys'

const hasPg = await postgresReachable()

describe.skipIf(!hasPg)('operator CLI against PostgreSQL', () => {
  let db: { url: string, drop: () => Promise<void> }
  let handle: DbHandle
  const env = () => ({ DATABASE_URL: db.url, APP_SECRET: TEST_APP_SECRET })

  beforeAll(async () => {
    db = await createEmptyDatabase('cairn_cli')
    handle = await openDb({ databaseUrl: db.url })
  })
  afterAll(async () => {
    await handle?.close()
    await db?.drop()
  })

  it('db:migrate applies the migrations, twice in parallel without harm', async () => {
    const [a, b] = await Promise.all([runCli(['db:migrate'], env()), runCli(['db:migrate'], env())])
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    expect(a.json).toMatchObject({ migrated: true, database: 'postgres' })
    const [row] = await handle.db.select({ n: count() }).from(users)
    expect(row!.n).toBe(0)
  })

  it('user:create prints the user and stores a scrypt hash, never the password', async () => {
    const res = await runCli(['user:create', '--email', 'Op@Example.com', '--password', 'a long password'], env())
    expect(res.code).toBe(0)
    expect(res.json).toEqual({ user_id: expect.any(String), email: 'op@example.com' })
    const [user] = await handle.db.select().from(users).where(eq(users.email, 'op@example.com'))
    expect(user!.passwordHash).toMatch(/^scrypt\$/)
    expect(user!.passwordHash).not.toContain('a long password')
    const again = await runCli(['user:create', '--email', 'op@example.com', '--password', 'a long password'], env())
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists/)
  })

  it('license:create prints a License with a claim link for a new customer', async () => {
    const res = await runCli(['license:create', '--email', 'direct@example.com', '--hostname', 'mc.direct.net'], env())
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({
      license_id: expect.any(String),
      server_id: null,
      hostname: 'mc.direct.net',
      customer_email: 'direct@example.com',
      status: 'active',
      license_key: expect.stringMatching(/^CAIRN-/),
      companion_token: expect.stringMatching(/^cairn_agent_/),
      subdomain: 'mc-direct-net',
      panel_url: expect.stringMatching(/\/claim\/[A-Za-z0-9_-]+\?license=/),
    })
    const [row] = await handle.db.select({ n: count() }).from(licenses)
    expect(row!.n).toBe(1)
  })

  it('rejects bad arguments with a readable message and exit code 2', async () => {
    const cases = [
      ['user:create', '--email', 'not-an-email', '--password', 'a long password'],
      ['user:create', '--email', 'x@example.com', '--password', 'short'],
      ['user:create', '--email', 'x@example.com'],
      ['license:create', '--email', 'x@example.com', '--hostname', 'bad host name!'],
      ['user:create', '--bogus', '1'],
      ['no:such-command'],
    ]
    for (const args of cases) {
      const res = await runCli(args, env())
      expect(res.code, args.join(' ')).toBe(2)
      expect(res.stderr.length, args.join(' ')).toBeGreaterThan(5)
      expect(res.stdout).toBe('')
    }
    const named = await runCli(['license:create', '--email', 'not-an-email'], env())
    expect(named.stderr).toMatch(/^error: --email: /)
    const [row] = await handle.db.select({ n: count() }).from(users).where(eq(users.email, 'x@example.com'))
    expect(row!.n).toBe(0)
  })
  it('refuses a bad configuration with one line naming the variable, before touching the database', async () => {
    const res = await runCli(['user:create', '--email', 'config@example.com', '--password', 'a long password'], { ...env(), PAYPAL_API_BASE: 'https://api-m.paypal.com/v1' })
    expect(res.code).toBe(2)
    expect(res.stdout).toBe('')
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: invalid configuration: PAYPAL_API_BASE: .* must be an origin/)])
    const [row] = await handle.db.select({ n: count() }).from(users).where(eq(users.email, 'config@example.com'))
    expect(row!.n).toBe(0)
  })
})

describe('embedded database safety', () => {
  it('refuses to open a PGlite folder that another process holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-lock-'))
    const release = acquireDataDirLock(dir, 'a running dev server') // held by this (live) test process
    try {
      const res = await runCli(['user:create', '--email', 'x@example.com', '--password', 'a long password'], { DATA_DIR: dir })
      expect(res.code).toBe(2)
      expect(res.stderr).toMatch(/open in another process \(a running dev server, pid \d+\)/)
    }
    finally {
      release()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('works on the embedded database when nothing else holds it, and treats a dead holder as stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-pglite-'))
    try {
      const { writeFileSync } = await import('node:fs')
      writeFileSync(join(dir, 'pglite.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, owner: 'gone', since: '' }))
      const res = await runCli(['user:create', '--email', 'embedded@example.com', '--password', 'a long password'], { DATA_DIR: dir })
      expect(res.stderr).toBe('')
      expect(res.code).toBe(0)
      expect(res.json).toMatchObject({ email: 'embedded@example.com' })
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe.skipIf(!hasPg)('migrations', () => {
  it('run concurrently from several processes under the advisory lock', async () => {
    const db = await createEmptyDatabase('cairn_mig')
    const handles = await Promise.all([1, 2, 3].map(() => openDb({ databaseUrl: db.url })))
    try {
      await Promise.all(handles.map(h => runMigrations(h, MIGRATIONS)))
      const rows = await handles[0]!.db.execute(sql`select count(*)::int as n, count(distinct hash)::int as distinct_n from drizzle.__drizzle_migrations`)
      const [row] = rows as unknown as Array<{ n: number, distinct_n: number }>
      expect(row!.n).toBeGreaterThan(0)
      expect(row!.n).toBe(row!.distinct_n) // each migration applied exactly once
    }
    finally {
      await Promise.all(handles.map(h => h.close()))
      await db.drop()
    }
  })
})
