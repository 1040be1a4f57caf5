import type { TestProject } from 'vitest/node'
import { postgresReachable } from '../support/postgres'
import { provideSkip, startStack } from '../support/stack'

/** The built server (which serves the bundled agent) on a fresh PostgreSQL database and real NATS. */
export default async function setup(project: TestProject) {
  if (!(await postgresReachable())) return provideSkip(project, 'agent', 'agent tests need the local PostgreSQL (127.0.0.1:5432); it is not reachable')
  return startStack(project, 'agent')
}
