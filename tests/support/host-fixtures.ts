import { sql } from 'drizzle-orm'
import type { Db } from '../../server/db'
import type { Deps } from '../../server/platform/deps'
import { createHost } from '../../server/domains/hosts/hosts'

/** When host tests happen unless they say otherwise (mid-March 2026, UTC). */
export const HOST_TEST_TIME = '2026-03-15T12:00:00.000Z'

let counter = 0
export async function makeHost(deps: Deps, rateCents = 600) {
  counter++
  return createHost(deps, { name: `Host ${counter}`, rate_cents: rateCents })
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
