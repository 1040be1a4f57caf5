import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { initializePgliteDir, isPgliteDirInitialized } from '../../server/db/pglite-init'

// A fresh embedded data folder starts as a copy of the build's template cluster; these use a
// stand-in template (PG_VERSION and a few nested files), no PGlite.
let root: string
let template: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cairn-pglite-init-'))
  template = join(root, 'template')
  mkdirSync(join(template, 'base/5'), { recursive: true })
  mkdirSync(join(template, 'pg_wal/archive_status'), { recursive: true })
  writeFileSync(join(template, 'PG_VERSION'), '17\n')
  writeFileSync(join(template, 'base/5/1259'), 'catalog')
  writeFileSync(join(template, 'base/5/16384'), '')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('initializePgliteDir from a template', () => {
  it('copies the whole template into a fresh folder and leaves no partial copy beside it', async () => {
    const dir = join(root, 'data/pglite')
    mkdirSync(join(root, 'data'))
    expect(isPgliteDirInitialized(dir)).toBe(false)
    await initializePgliteDir(dir, template)
    expect(isPgliteDirInitialized(dir)).toBe(true)
    expect(readFileSync(join(dir, 'base/5/1259'), 'utf8')).toBe('catalog')
    expect(readFileSync(join(dir, 'base/5/16384'), 'utf8')).toBe('')
    expect(existsSync(join(dir, 'pg_wal/archive_status'))).toBe(true)
    expect(existsSync(`${dir}.partial`)).toBe(false)
  })

  it('fills an existing empty folder', async () => {
    const dir = join(root, 'pglite')
    mkdirSync(dir)
    await initializePgliteDir(dir, template)
    expect(readFileSync(join(dir, 'PG_VERSION'), 'utf8')).toBe('17\n')
  })

  it('replaces the leftovers of a start killed mid-copy instead of merging them', async () => {
    const dir = join(root, 'pglite')
    mkdirSync(`${dir}.partial/base/5`, { recursive: true })
    writeFileSync(join(`${dir}.partial`, 'base/5/99999'), 'stale')
    await initializePgliteDir(dir, template)
    expect(isPgliteDirInitialized(dir)).toBe(true)
    expect(existsSync(join(dir, 'base/5/99999'))).toBe(false)
    expect(existsSync(`${dir}.partial`)).toBe(false)
  })

  it('leaves an existing cluster alone', async () => {
    const dir = join(root, 'pglite')
    mkdirSync(join(dir, 'base/5'), { recursive: true })
    writeFileSync(join(dir, 'PG_VERSION'), '17\n')
    writeFileSync(join(dir, 'base/5/1259'), 'the owner data')
    await initializePgliteDir(dir, template)
    expect(readFileSync(join(dir, 'base/5/1259'), 'utf8')).toBe('the owner data')
    expect(existsSync(join(dir, 'base/5/16384'))).toBe(false)
  })
})
