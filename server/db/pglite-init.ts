import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs'
import { copyFile, mkdir, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
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

/**
 * V8 compiles PGlite's WebAssembly (9 MB of PostgreSQL) with its baseline compiler, then recompiles
 * every hot function with the optimising one on background threads. Those recompilations keep
 * 60–100 MB resident in an embedded server (idle 216–259 MB with them, about 155 MB without) and
 * take CPU from start-up on a small machine; the price is slower CPU-bound queries (scans of
 * tens of thousands of rows), which an embedded panel's small tables do not have. Set before
 * the first PGlite instance compiles; process-wide, and PGlite is this process's only WebAssembly.
 */
export const PGLITE_V8_FLAGS = '--liftoff-only'
let v8FlagsSet = false
export function useLeanWasmCompiler(): void {
  if (v8FlagsSet) return
  setFlagsFromString(PGLITE_V8_FLAGS)
  v8FlagsSet = true
}

/** Beside the built server's entry: a migrated cluster a fresh data folder starts from (modules/pglite-template.ts). */
export const PGLITE_TEMPLATE_DIR = 'pglite-template'

/**
 * Creates the cluster of a fresh data folder: a copy of the build's migrated template when there
 * is one, else initdb in a child process. PGlite runs initdb in a second,
 * throwaway instance whose WebAssembly memory (about 450 MB) stays in the process long after it
 * closes; in a child process it goes back to the system when the child exits.
 */
export async function initializePgliteDir(dir: string, template = builtTemplateDir()): Promise<void> {
  if (isPgliteDirInitialized(dir)) return
  if (template && existsSync(join(template, 'PG_VERSION'))) {
    await copyTemplate(template, dir)
    return
  }
  const script = `import { PGlite } from ${JSON.stringify(pgliteModuleUrl())}
const db = new PGlite(${JSON.stringify(dir)}, { startParams: ${JSON.stringify(PGLITE_START_PARAMS)} })
await db.waitReady
await db.close()`
  const child = spawn(process.execPath, [PGLITE_V8_FLAGS, '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0) throw new Error(`initialising the embedded database in ${dir} failed (exit ${code}): ${stderr.trim().slice(-500)}`)
}

/** Whether `dir` holds a cluster already (PostgreSQL writes PG_VERSION when it creates one). */
export function isPgliteDirInitialized(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'))
}

function builtTemplateDir(): string | undefined {
  return process.argv[1] ? join(dirname(resolve(process.argv[1])), PGLITE_TEMPLATE_DIR) : undefined
}

/**
 * Copies the template into a sibling folder, then renames it into place: a start killed
 * mid-copy leaves no folder with a PG_VERSION but half its files (which would pass for a
 * cluster on the next start). The copy is asynchronous and file-parallel: a cluster is
 * about 1 100 small files, and creating them one after another is most of a cold start.
 */
async function copyTemplate(template: string, dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    // Leftovers without PG_VERSION (not ours to judge): copy over them, as before.
    await copyTree(template, dir)
    return
  }
  const partial = `${dir}.partial`
  rmSync(partial, { recursive: true, force: true })
  await copyTree(template, partial)
  if (existsSync(dir)) rmdirSync(dir)
  renameSync(partial, dir)
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true })
  const entries = await readdir(from, { withFileTypes: true })
  await Promise.all(entries.map(entry => entry.isDirectory()
    ? copyTree(join(from, entry.name), join(to, entry.name))
    : copyFile(join(from, entry.name), join(to, entry.name))))
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
