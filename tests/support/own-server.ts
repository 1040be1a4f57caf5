import { afterAll, beforeAll } from 'vitest'
import { openDb, type Db, type DbHandle } from '../../server/db'
import { createEmptyDatabase } from './postgres'
import { startBuiltServer, type RunningServer } from './server'

export interface OwnServer {
  /** The file's database, migrated by the first `start`. */
  readonly db: Db
  /** The running server's origin. */
  readonly url: string
  /** Starts the built server on the file's database with `env` added (stopping the one running, if any). */
  start(name: string, env: Record<string, string | undefined>): Promise<void>
}

/**
 * A built server of the test file's own, on a new empty database: for files that need another
 * environment than the shared stack (no NATS, the demo seed, production). Call it inside the
 * file's describe; the database exists from its beforeAll on, and after the file's tests the
 * server stops, the connection closes and the database is dropped.
 */
export function useOwnServer(prefix: string): OwnServer {
  let database: { url: string, drop: () => Promise<void> } | undefined
  let handle: DbHandle | undefined
  let server: RunningServer | undefined
  beforeAll(async () => {
    database = await createEmptyDatabase(prefix)
    handle = await openDb({ databaseUrl: database.url, maxConnections: 3 })
  })
  afterAll(async () => {
    await server?.stop()
    await handle?.close()
    await database?.drop()
  })
  return {
    get db() {
      if (!handle) throw new Error('useOwnServer: the database is ready from beforeAll on')
      return handle.db
    },
    get url() {
      if (!server) throw new Error('useOwnServer: start the server first')
      return server.url
    },
    async start(name, env) {
      if (!database) throw new Error('useOwnServer: the database is ready from beforeAll on')
      await server?.stop()
      server = await startBuiltServer(name, { ...env, DATABASE_URL: database.url })
    },
  }
}
