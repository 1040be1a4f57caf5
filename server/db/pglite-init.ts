import { spawn } from 'node:child_process'
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PGlite } from '@electric-sql/pglite'

/**
 * PGlite's defaults size it like a server (128 MB shared buffers, 64 MB maintenance memory);
 * an embedded panel's working set is a few MB, and every buffer it touches stays resident.
 */
export const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  '-c', 'shared_buffers=16MB',
  '-c', 'temp_buffers=2MB',
  '-c', 'maintenance_work_mem=16MB',
]

/** Beside the built server's entry: a migrated cluster a fresh data folder starts from (modules/pglite-template.ts). */
export const PGLITE_TEMPLATE_DIR = 'pglite-template'

/**
 * Creates the cluster of a fresh data folder: a copy of the build's migrated template when there
 * is one, else initdb in a child process. PGlite runs initdb in a second,
 * throwaway instance whose WebAssembly memory (about 450 MB) stays in the process long after it
 * closes; in a child process it goes back to the system when the child exits.
 */
export async function initializePgliteDir(dir: string): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return
  const template = process.argv[1] ? join(dirname(resolve(process.argv[1])), PGLITE_TEMPLATE_DIR) : undefined
  if (template && existsSync(join(template, 'PG_VERSION'))) {
    cpSync(template, dir, { recursive: true })
    return
  }
  const script = `import { PGlite } from ${JSON.stringify(pgliteModuleUrl())}
const db = new PGlite(${JSON.stringify(dir)}, { startParams: ${JSON.stringify(PGLITE_START_PARAMS)} })
await db.waitReady
await db.close()`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0) throw new Error(`initialising the embedded database in ${dir} failed (exit ${code}): ${stderr.trim().slice(-500)}`)
}

/**
 * The ES module of the PGlite beside the entry point (the built server carries its own copy, ES
 * files only, in its node_modules); bundling leaves no usable import.meta.url, as in migrate.ts.
 */
function pgliteModuleUrl(): string {
  const from = process.argv[1] ? resolve(process.argv[1]) : join(process.cwd(), 'index.js')
  for (const folder of createRequire(from).resolve.paths('@electric-sql/pglite') ?? []) {
    const manifest = join(folder, '@electric-sql/pglite/package.json')
    if (!existsSync(manifest)) continue
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { import: { default: string } } } }
    return pathToFileURL(join(dirname(manifest), exports['.'].import.default)).href
  }
  throw new Error(`@electric-sql/pglite not found from ${from}`)
}
