import { openDb, type DbHandle } from '../db'
import { acquireDataDirLock } from '../db/data-dir-lock'
import { resolveMigrationsFolder, runMigrations } from '../db/migrate'
import { deriveAppKeys, resolveAppSecret, type AppKeys } from './app-secret'
import { pgliteDir, type AppEnv } from './env'
import type { Logger } from './logger'

export interface Opened {
  env: AppEnv
  handle: DbHandle
  keys: AppKeys
  release: () => void
}

/**
 * Opens the database the environment names, locking an embedded data folder against other
 * processes, and migrates it when asked. Shared by the server and the CLI.
 */
export async function openFromEnv(env: AppEnv, options: { owner: string, migrate: boolean | 'from-env', log?: Logger }): Promise<Opened> {
  const keys = deriveAppKeys(resolveAppSecret(env))
  let release = () => {}
  if (!env.databaseUrl) release = acquireDataDirLock(env.dataDir, options.owner)
  try {
    const handle = await openDb({ databaseUrl: env.databaseUrl, pgliteDir: pgliteDir(env) })
    if (options.migrate === true || (options.migrate === 'from-env' && env.migrateOnStart)) {
      await runMigrations(handle, resolveMigrationsFolder(env.migrationsDir))
      options.log?.info('migrations applied', { database: handle.kind })
    }
    return { env, handle, keys, release }
  }
  catch (error) {
    release()
    throw error
  }
}
