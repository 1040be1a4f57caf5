import type { TestProject } from 'vitest/node'
import { postgresReachable } from '../support/postgres'
import { provideSkip, startStack } from '../support/stack'

/** One built server for the whole api project, on a fresh PostgreSQL database and real NATS. */
export default async function setup(project: TestProject) {
  if (!(await postgresReachable())) return provideSkip(project, 'api', 'API tests need the local PostgreSQL (127.0.0.1:5432); it is not reachable')
  return startStack(project, 'api')
}
