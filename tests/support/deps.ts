import type { Db } from '../../server/db'
import { systemClock, type Clock } from '../../server/platform/clock'
import { createDeps, type Deps } from '../../server/platform/deps'
import { loadEnv, type AppEnv } from '../../server/platform/env'
import { logger, type Logger } from '../../server/platform/logger'
import { testKeys } from './keys'

const TEST_ENV_VARS = { PUBLIC_URL: 'https://panel.example.test', STORE_DOMAIN: 'store.example.test' }

/** The configuration tests present licenses and stores with (URLs the assertions can name). */
export const testEnv = loadEnv(TEST_ENV_VARS)

/** The test configuration plus `vars` (e.g. PAYPAL_API_BASE, PLATFORM_PAYPAL_*). */
export function testEnvWith(vars: Record<string, string>): AppEnv {
  return loadEnv({ ...TEST_ENV_VARS, ...vars })
}

/** Only errors reach the output: tests assert effects, and expected warnings would clutter it. */
export const quietLog: Logger = { ...logger, info() {}, warn() {} }

/** Deps on `db` with the test keys (the ones every test server runs with). */
export function testDeps(db: Db, clock: Clock = systemClock): Deps {
  return createDeps({ db, env: testEnv, keys: testKeys, clock, log: quietLog })
}
