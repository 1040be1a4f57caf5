import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import postgres from 'postgres'
import * as schema from './schema'
import { initializePgliteDir, PGLITE_START_PARAMS, useLeanWasmCompiler } from './pglite-init'
import type { RawListen } from '../platform/notify'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface DbHandle {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Runs `fn` while holding a session-level advisory lock (cross-process mutual exclusion). */
  withAdvisoryLock<T>(lockId: number, fn: () => Promise<T>): Promise<T>
  ping(): Promise<void>
  /** PostgreSQL LISTEN on a connection of its own (see server/platform/notify.ts for the bus on top). */
  listen: RawListen
  close(): Promise<void>
}

export interface DbOptions {
  databaseUrl?: string
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  pgliteDir?: string
  maxConnections?: number
}

export async function openDb(options: DbOptions): Promise<DbHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? 10)
  return openPglite(options.pgliteDir ?? 'memory://')
}

function openPostgres(url: string, max: number): DbHandle {
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10 })
  const db = drizzlePostgres(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres',
    async withAdvisoryLock(lockId, fn) {
      const conn = await client.reserve()
      try {
        await conn`select pg_advisory_lock(${lockId})`
        try {
          return await fn()
        }
        finally {
          await conn`select pg_advisory_unlock(${lockId})`
        }
      }
      finally {
        conn.release()
      }
    },
    async ping() {
      await client`select 1`
    },
    async listen(channel, onPayload, onListen) {
      // postgres.js keeps one listening connection and re-LISTENs after reconnecting (then calls onListen again).
      const { unlisten } = await client.listen(channel, onPayload, onListen)
      return unlisten
    },
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}

async function openPglite(dir: string): Promise<DbHandle> {
  // PGlite creates only the last folder of its path.
  if (!dir.startsWith('memory://')) {
    // The embedded server's database (and the CLI's); in-memory test databases keep V8's defaults.
    useLeanWasmCompiler()
    mkdirSync(dirname(dir), { recursive: true })
    await initializePgliteDir(dir)
  }
  const client = new PGlite(dir, { startParams: PGLITE_START_PARAMS })
  await client.waitReady
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    // PGlite is single-process and serialises queries itself; the data-dir lock keeps other processes out.
    withAdvisoryLock: (_lockId, fn) => fn(),
    async ping() {
      await client.query('select 1')
    },
    async listen(channel, onPayload, onListen) {
      // In-process: the LISTEN never drops.
      const unlisten = await client.listen(channel, onPayload)
      onListen?.()
      return unlisten
    },
    async close() {
      await client.close()
    },
  }
}

export { schema }
