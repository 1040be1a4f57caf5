import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { hostLicenses, licenses, type Host, type HostLicense, type License, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { Conflict } from '../../platform/errors'
import { provisionBulkSchema, provisionServerSchema, type ProvisionServer } from '../../../shared/contracts/host'
import type { LicenseView } from '../../../shared/contracts/licenses'
import { createLicense, openCompanionToken } from '../licenses/licenses'
import { presentHostLicenses } from './host-licenses'
import { findOrCreateUserByEmail } from '../auth/users'
import { parseInput } from '../../platform/validation'
import { isTransactionConflict, isUniqueViolation } from '../../platform/pg-errors'

export type ProvisionRequest =
  | { kind: 'single', servers: [ProvisionServer] }
  | { kind: 'bulk', servers: ProvisionServer[] }

/** One server, or `{ servers: [...] }` for bulk; the presence of `servers` decides which. */
export function parseProvisionRequest(body: unknown): ProvisionRequest {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'servers' in body) {
    return { kind: 'bulk', servers: parseInput(provisionBulkSchema, body).servers }
  }
  return { kind: 'single', servers: [parseInput(provisionServerSchema, body)] }
}

export interface ProvisionedLicense {
  license: LicenseView
  created: boolean
}

/** Deadlock / serialization failures are retried; so is losing the (host, server_id) race. */
function isRetryable(error: unknown): boolean {
  return isTransactionConflict(error) || isUniqueViolation(error)
}

/** Runs `fn` in a transaction (its deps carry the transaction), again on a retryable failure. */
async function withTransactionRetry<T>(deps: Deps, fn: (tx: Deps) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction(tx => fn({ ...deps, db: tx }))
    }
    catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error
    }
  }
}

/**
 * Provisions every server in one transaction (all or nothing): finds or creates each customer,
 * creates the license and links it to the host. A `server_id` already live for this host gives
 * back its license and secrets unchanged, or a 409 when the email differs.
 *
 * Concurrency: an advisory transaction lock per (host, server_id), taken in sorted order, makes
 * identical concurrent calls queue behind the first; the partial unique index on live links is
 * the backstop.
 */
export async function provisionLicenses(deps: Deps, host: Pick<Host, 'id'>, request: ProvisionRequest): Promise<ProvisionedLicense[]> {
  // Parsing already lower-cases; doing it again keeps direct callers (CLI, tests) consistent.
  const servers = request.servers.map(s => ({ ...s, customer_email: s.customer_email.toLowerCase() }))
  const fieldPath = (i: number, field: string) => request.kind === 'bulk' ? `servers.${i}.${field}` : field

  return withTransactionRetry(deps, async (txDeps) => {
    const tx = txDeps.db
    const serverIds = [...new Set(servers.map(s => s.server_id))].sort()
    for (const serverId of serverIds) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`host:${host.id}:server:${serverId}`}, 0))`)
    }
    // Users in a fixed order too, so two bulk calls sharing customers cannot deadlock on them.
    const usersByEmail = new Map<string, User>()
    for (const email of [...new Set(servers.map(s => s.customer_email))].sort()) {
      usersByEmail.set(email, await findOrCreateUserByEmail(txDeps, email))
    }

    const live = new Map<string, { link: HostLicense, license: License }>()
    const existing = await tx.select({ link: hostLicenses, license: licenses })
      .from(hostLicenses)
      .innerJoin(licenses, eq(licenses.id, hostLicenses.licenseId))
      .where(and(eq(hostLicenses.hostId, host.id), isNull(hostLicenses.revokedAt), inArray(hostLicenses.serverId, serverIds)))
    for (const row of existing) live.set(row.link.serverId, row)

    const now = txDeps.clock.now()
    const results: Array<{ link: HostLicense, license: License, companionToken: string, created: boolean, user: User }> = []
    for (const [i, server] of servers.entries()) {
      const user = usersByEmail.get(server.customer_email)
      if (!user) throw new Error('customer missing after upsert')
      const found = live.get(server.server_id)
      if (found) {
        if (found.link.customerEmail !== server.customer_email) {
          throw new Conflict(`server_id "${server.server_id}" is already provisioned for a different customer_email`, {
            path: fieldPath(i, 'customer_email'),
            server_id: server.server_id,
          })
        }
        results.push({ ...found, companionToken: openCompanionToken(txDeps, found.license), created: false, user })
        continue
      }
      const { license, companionToken } = await createLicense(txDeps, { userId: user.id, email: user.email, hostname: server.hostname })
      const [link] = await tx.insert(hostLicenses).values({
        hostId: host.id,
        licenseId: license.id,
        serverId: server.server_id,
        customerEmail: server.customer_email,
        provisionedAt: now,
      }).returning()
      if (!link) throw new Error('host link insert returned nothing')
      live.set(server.server_id, { link, license })
      results.push({ link, license, companionToken, created: true, user })
    }

    const views = await presentHostLicenses(txDeps, results)
    return results.map((r, i) => ({ created: r.created, license: views[i]! }))
  })
}
