import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { OUTPUT_DIR, runBuiltServerToExit, startBuiltServer } from '../support/server'

const dirs: string[] = []
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('start-up', () => {
  it('embedded mode: no DATABASE_URL, no NATS, no APP_SECRET → migrates, seeds the demo owner once, serves sign-in', async () => {
    const dataDir = tempDir('cairn-embedded-')
    const env = { DATA_DIR: dataDir, NODE_ENV: undefined, APP_SECRET: undefined, DATABASE_URL: undefined, NATS_URL: undefined }
    let server = await startBuiltServer('embedded', env)
    try {
      const health = await fetch(`${server.url}/api/health`).then(r => r.json())
      expect(health).toEqual({ status: 'ok', db: 'ok', nats: 'disabled' })
      const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@cairn.local', password: 'cairn-demo-2026' }) })
      expect(login.status).toBe(200)
      const { token } = await login.json() as { token: string }
      const me = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then(r => r.json()) as { licenses: Array<{ subdomain: string }> }
      expect(me.licenses.map(l => l.subdomain)).toContain('demo')
      const secretFile = join(dataDir, 'app-secret')
      expect(existsSync(secretFile)).toBe(true)
      expect(statSync(secretFile).mode & 0o077).toBe(0)
      expect(readFileSync(server.logFile, 'utf8')).toMatch(/demo data created/)
      const page = await fetch(`${server.url}/login`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('Sign in')
      await server.stop()

      // A restart keeps the data and the secret: the old session is still valid, nothing is re-seeded.
      server = await startBuiltServer('embedded-restart', env)
      const again = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
      expect(again.status).toBe(200)
      expect(readFileSync(server.logFile, 'utf8')).not.toMatch(/demo data created/)
    }
    finally {
      await server.stop()
    }
  }, 120_000)

  /** The whole output of a refused start: exactly one line, naming `variable`, without a stack trace. */
  function expectOneLineNaming(output: string, variable: string): string {
    const lines = output.trim().split('\n')
    expect(lines, output).toHaveLength(1)
    expect(lines[0]).toContain(variable)
    expect(output).not.toMatch(/^\s*at /m)
    return lines[0]!
  }

  it('refuses to start in production without APP_SECRET, with a clear message', async () => {
    const { code, output } = await runBuiltServerToExit({ DATA_DIR: tempDir('cairn-prod-'), NODE_ENV: 'production', APP_SECRET: undefined })
    expect(code).not.toBe(0)
    expect(expectOneLineNaming(output, 'APP_SECRET')).toMatch(/APP_SECRET is required when NODE_ENV=production/)
  }, 60_000)

  it('refuses a too-short APP_SECRET', async () => {
    const { code, output } = await runBuiltServerToExit({ DATA_DIR: tempDir('cairn-short-'), APP_SECRET: 'short' })
    expect(code).not.toBe(0)
    expect(expectOneLineNaming(output, 'APP_SECRET')).toMatch(/at least 32 bytes/)
  }, 60_000)

  it.each([
    ['TRUST_PROXY', 'loopbak', /'loopbak' is not loopback, an IP address or a CIDR/],
    ['PAYPAL_API_BASE', 'http://127.0.0.1:9/v1/', /must be an origin \(http:\/\/127\.0\.0\.1:9\) without a path/],
    ['PUBLIC_URL', 'panel.example.com', /is not a URL/],
    // A user seed where the account signing seed belongs: named, never echoed.
    ['NATS_AGENT_SIGNING_SEED', 'SUAKYRHVIOREXV7EUZTBHUHL7NUMHPMAS7QMDU3GTIUWEI5LDNOXD43IZY', /NATS_AGENT_SIGNING_SEED: is not an account seed/],
  ])('refuses %s=%s before touching the data folder: one line, no stack', async (variable, value, problem) => {
    const dataDir = tempDir('cairn-badenv-')
    const { code, output } = await runBuiltServerToExit({ DATA_DIR: dataDir, [variable]: value })
    expect(code).not.toBe(0)
    expect(expectOneLineNaming(output, variable)).toMatch(problem)
    if (value.startsWith('S')) expect(output).not.toContain(value.slice(0, 12))
    // Refused before the database opened: no lock, no generated secret, no PGlite files.
    expect(readdirSync(dataDir)).toEqual([])
  }, 60_000)

  it('stops loudly when a migration fails', async () => {
    const migrations = tempDir('cairn-badmig-')
    cpSync(join(OUTPUT_DIR, 'server/drizzle'), migrations, { recursive: true })
    const journal = JSON.parse(readFileSync(join(migrations, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number, when: number, tag: string, version: string, breakpoints: boolean }> }
    const last = journal.entries.at(-1)!
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: '9999_broken' })
    writeFileSync(join(migrations, 'meta/_journal.json'), JSON.stringify(journal))
    writeFileSync(join(migrations, '9999_broken.sql'), 'alter table no_such_table add column x int;')
    const { code, output } = await runBuiltServerToExit({ DATA_DIR: tempDir('cairn-mig-'), CAIRN_MIGRATIONS_DIR: migrations })
    expect(code).not.toBe(0)
    expect(output).toMatch(/start-up failed/)
    expect(output).toMatch(/no_such_table/)
  }, 60_000)
})
