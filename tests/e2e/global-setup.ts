import { existsSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { CHROMIUM_PATH } from '../support/browser'
import { postgresReachable } from '../support/postgres'
import { provideSkip, startStack } from '../support/stack'

/** The built server with the demo seed, for browser tests. */
export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM_PATH)) return provideSkip(project, 'e2e', `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`)
  if (!(await postgresReachable())) return provideSkip(project, 'e2e', 'the local PostgreSQL (127.0.0.1:5432) is not reachable')
  return startStack(project, 'e2e', { SEED_DEMO: 'true' })
}
