import postgres from 'postgres'

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

let reachable: Promise<boolean> | undefined

/** Whether the local PostgreSQL answers (cached per process). */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} })
    try {
      await sql`select 1`
      return true
    }
    catch {
      return false
    }
    finally {
      await sql.end({ timeout: 1 }).catch(() => {})
    }
  })()
  return reachable
}

/** Creates an empty database and returns its URL plus a function that drops it. */
export async function createEmptyDatabase(prefix: string): Promise<{ url: string, drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  await admin.end()
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} })
      await sql.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {})
      await sql.end()
    },
  }
}
