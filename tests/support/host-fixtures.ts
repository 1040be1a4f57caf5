import { fixedClock } from '../../server/services/clock'
import { loadEnv } from '../../server/services/env'
import type { Db } from '../../server/db'
import { createHost } from '../../server/services/hosts'
import type { HostDeps } from '../../server/services/provisioning'
import { testKeys } from './keys'

/** Host service dependencies on a test database with a pinned clock. */
export function hostDeps(db: Db, at = '2026-03-15T12:00:00.000Z'): HostDeps & { clock: ReturnType<typeof fixedClock> } {
  const env = loadEnv({ PUBLIC_URL: 'https://panel.example.test', STORE_DOMAIN: 'store.example.test' })
  return { db, env, sealKey: testKeys.seal, clock: fixedClock(at) }
}

let counter = 0
export async function makeHost(db: Db, clock = fixedClock('2026-01-01T00:00:00Z'), rateCents = 600) {
  counter++
  return createHost(db, { name: `Host ${counter}`, rate_cents: rateCents }, clock)
}

export function server(n: number | string, email = `customer${n}@example.com`) {
  return { server_id: `srv-${n}`, hostname: `mc${n}.example.net`, customer_email: email }
}
