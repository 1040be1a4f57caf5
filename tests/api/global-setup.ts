import type { TestProject } from 'vitest/node'
import { createEmptyDatabase, postgresReachable } from '../support/postgres'
import { natsReachable, startBuiltServer } from '../support/server'

/** One built server for the whole api project, on a fresh PostgreSQL database and real NATS. */
export default async function setup(project: TestProject) {
  if (!(await postgresReachable())) {
    const reason = 'API tests need the local PostgreSQL (127.0.0.1:5432); it is not reachable'
    console.warn(`[api] skipped: ${reason}`)
    project.provide('skipReason', reason)
    for (const key of ['baseUrl', 'databaseUrl', 'natsUrl', 'serverLog'] as const) project.provide(key, '')
    return
  }
  const db = await createEmptyDatabase('cairn_api')
  const natsUrl = (await natsReachable()) ?? ''
  const server = await startBuiltServer('api', { DATABASE_URL: db.url, NATS_URL: natsUrl || undefined })
  project.provide('baseUrl', server.url)
  project.provide('databaseUrl', db.url)
  project.provide('natsUrl', natsUrl)
  project.provide('serverLog', server.logFile)
  project.provide('skipReason', '')
  return async () => {
    await server.stop()
    await db.drop()
  }
}
