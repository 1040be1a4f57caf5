import { sql } from 'drizzle-orm'
import { fixedClock } from '../../server/platform/clock'
import { loadEnv } from '../../server/platform/env'
import type { Db } from '../../server/db'
import { createHost } from '../../server/domains/hosts/hosts'
import type { HostDeps } from '../../server/domains/hosts/provisioning'
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

/**
 * Inserts `n` host licenses straight in SQL (fast seeding for volume tests and benchmarks):
 * one customer, fake secrets, provisioned at `at` + i milliseconds.
 */
export async function seedHostLicensesSql(db: Db, hostId: string, n: number, at: string, tag = 'seed'): Promise<void> {
  const prefix = `${tag}-${Math.random().toString(36).slice(2, 8)}`
  await db.execute(sql`
    with u as (
      insert into users (email) values (${`${prefix}@example.com`}) returning id
    ), l as (
      insert into licenses (user_id, license_key, companion_token_hash, companion_token_sealed, subdomain, hostname, created_at)
      select u.id, ${prefix} || '-key-' || g, ${prefix} || '-hash-' || g, 'v1.x.x.x', ${prefix} || '-' || g, 'mc' || g || '.example.net', ${at}::timestamptz + g * interval '1 millisecond'
      from u, generate_series(1, ${n}::int) g
      returning id, subdomain, created_at
    )
    insert into host_licenses (host_id, license_id, server_id, customer_email, provisioned_at)
    select ${hostId}::uuid, l.id, 'srv-' || l.subdomain, ${`${prefix}@example.com`}, l.created_at from l`)
}
