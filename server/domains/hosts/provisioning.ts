import { and, eq, isNull, sql } from 'drizzle-orm'
import { hostLicenses, licenses, type Host, type HostLicense, type License, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { Conflict } from '../../platform/errors'
import { provisionBulkSchema, provisionServerSchema, type ProvisionServer } from '../../../shared/contracts/host'
import type { LicenseView } from '../../../shared/contracts/licenses'
import { createLicenses, openCompanionToken } from '../licenses/licenses'
import { presentHostLicenses } from './host-licenses'
import { findOrCreateUsersByEmail } from '../auth/users'
import { lockKeys } from '../../platform/xact-locks'
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
 * Concurrency: an advisory transaction lock per (host, server_id), all taken in one sorted statement, makes
 * identical concurrent calls queue behind the first; the partial unique index on live links is
 * the backstop.
 */
export async function provisionLicenses(deps: Deps, host: Pick<Host, 'id'>, request: ProvisionRequest): Promise<ProvisionedLicense[]> {
  // Parsing already lower-cases; doing it again keeps direct callers (CLI, tests) consistent.
  const servers = request.servers.map(s => ({ ...s, customer_email: s.customer_email.toLowerCase() }))
  const fieldPath = (i: number, field: string) => request.kind === 'bulk' ? `servers.${i}.${field}` : field

  return withTransactionRetry(deps, async (txDeps) => {
    const tx = txDeps.db
    // A constant number of statements per call, whatever its size: the cost follows the call, not the tables.
    const serverIds = [...new Set(servers.map(s => s.server_id))].sort()
    await lockKeys(txDeps, serverIds.map(serverId => `host:${host.id}:server:${serverId}`))
    const usersByEmail = await findOrCreateUsersByEmail(txDeps, servers.map(s => s.customer_email))

    const live = new Map<string, { link: HostLicense, license: License }>()
    // One unique-index lookup per server_id, written so that no plan can scan all of the host's
    // links instead (`server_id in (...)` did exactly that, 70+ ms at 100k, without fresh statistics).
    const liveIds = sql`(select (select h.id from ${hostLicenses} h where h.host_id = ${host.id}::uuid and h.server_id = w.s and h.revoked_at is null)
      from json_array_elements_text(${JSON.stringify(serverIds)}::json) w(s))`
    const existing = await tx.select({ link: hostLicenses, license: licenses })
      .from(hostLicenses)
      .innerJoin(licenses, eq(licenses.id, hostLicenses.licenseId))
      .where(and(sql`${hostLicenses.id} in ${liveIds}`, eq(hostLicenses.hostId, host.id), isNull(hostLicenses.revokedAt)))
    for (const row of existing) live.set(row.link.serverId, row)

    // Existing server_ids answer with their license; new ones (first occurrence wins) are created together.
    const plan: Array<{ found: { link: HostLicense, license: License } } | { create: number }> = []
    const toCreate: Array<{ server: ProvisionServer, user: User }> = []
    const creating = new Map<string, { index: number, email: string }>()
    for (const [i, server] of servers.entries()) {
      const user = usersByEmail.get(server.customer_email)
      if (!user) throw new Error('customer missing after upsert')
      const found = live.get(server.server_id)
      const pending = creating.get(server.server_id)
      const email = found?.link.customerEmail ?? pending?.email
      if (email !== undefined && email !== server.customer_email) {
        throw new Conflict(`server_id "${server.server_id}" is already provisioned for a different customer_email`, {
          path: fieldPath(i, 'customer_email'),
          server_id: server.server_id,
        })
      }
      if (found) plan.push({ found })
      else if (pending) plan.push({ create: pending.index })
      else {
        creating.set(server.server_id, { index: toCreate.length, email: server.customer_email })
        plan.push({ create: toCreate.length })
        toCreate.push({ server, user })
      }
    }

    const now = txDeps.clock.now()
    const created = await createLicenses(txDeps, toCreate.map(({ server, user }) => ({ userId: user.id, email: user.email, hostname: server.hostname })))
    const links = created.length === 0
      ? []
      : await tx.insert(hostLicenses).values(created.map(({ license }, i) => ({
          hostId: host.id,
          licenseId: license.id,
          serverId: toCreate[i]!.server.server_id,
          customerEmail: toCreate[i]!.server.customer_email,
          provisionedAt: now,
        }))).returning()
    const linkOf = new Map(links.map(link => [link.licenseId, link]))

    const seen = new Set<number>()
    const results = plan.map((step, i) => {
      const user = usersByEmail.get(servers[i]!.customer_email)!
      if ('found' in step) return { ...step.found, companionToken: openCompanionToken(txDeps, step.found.license), created: false, user }
      const { license, companionToken } = created[step.create]!
      const link = linkOf.get(license.id)
      if (!link) throw new Error('host link insert returned fewer rows')
      // A server_id repeated within one call: the first entry creates it, later ones see it.
      const first = !seen.has(step.create)
      seen.add(step.create)
      return { link, license, companionToken, created: first, user }
    })

    const views = await presentHostLicenses(txDeps, results)
    return results.map((r, i) => ({ created: r.created, license: views[i]! }))
  })
}
