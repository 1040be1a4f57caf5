import { and, asc, eq, type SQL } from 'drizzle-orm'
import type { Db } from '../../db'
import { hostLicenses, licenses, users, type HostLicense, type License, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { Conflict, NotFound } from '../../platform/errors'
import { cursorTimestamp, decodeCursor, encodeCursor, pastPosition, takePage } from '../../platform/pagination'
import type { LicenseListResponse, ListLicensesQuery, UpdateLicenseInput } from '../../../shared/contracts/host'
import type { LicenseView } from '../../../shared/contracts/licenses'
import { LIST_LIMIT_DEFAULT } from '../../../shared/contracts/limits'
import { ensureClaimTokens, openCompanionToken, presentLicense } from '../licenses/licenses'
import { resourceId } from '../webstore/fields'

// A host's view of its licenses: list, read, rename, suspend, reactivate, revoke. Every query
// carries the host id, so another host's license id is indistinguishable from a missing one.

/** A path id that is not a UUID cannot name a license: 404 like any other unknown id. */
export function licenseIdParam(value: string | undefined): string {
  return resourceId(value, 'License')
}

interface Row {
  link: HostLicense
  license: License
  user: Pick<User, 'id' | 'passwordHash'>
}

/** A host's license with its customer; the companion token only when the answer shows it. */
export interface HostLicenseRow extends Row {
  companionToken?: string
}

const rowSelection = {
  link: hostLicenses,
  license: licenses,
  user: { id: users.id, passwordHash: users.passwordHash },
  /** The list cursor's key. */
  at: cursorTimestamp(hostLicenses.provisionedAt),
}

function baseQuery(db: Db) {
  return db.select(rowSelection)
    .from(hostLicenses)
    .innerJoin(licenses, eq(licenses.id, hostLicenses.licenseId))
    .innerJoin(users, eq(users.id, licenses.userId))
}

/** API.md's License for each row, reusing one claim token (panel_url) per unclaimed customer. */
export async function presentHostLicenses(deps: Deps, rows: HostLicenseRow[]): Promise<LicenseView[]> {
  const unclaimed = new Map<string, string>()
  for (const row of rows) {
    if (!row.user.passwordHash && !unclaimed.has(row.user.id)) unclaimed.set(row.user.id, row.license.id)
  }
  const claimTokens = await ensureClaimTokens(deps, [...unclaimed].map(([userId, licenseId]) => ({ userId, licenseId })))
  return rows.map(row => presentLicense(deps.env, row.license, {
    customerEmail: row.link.customerEmail,
    serverId: row.link.serverId,
    provisionedAt: row.link.provisionedAt,
    companionToken: row.companionToken,
    claimToken: row.user.passwordHash ? null : claimTokens.get(row.user.id) ?? null,
  }))
}

/** A single license is shown whole, companion token included (sealed at rest for this). */
async function presentOne(deps: Deps, row: Row): Promise<LicenseView> {
  const [view] = await presentHostLicenses(deps, [{ ...row, companionToken: openCompanionToken(deps, row.license) }])
  if (!view) throw new Error('present returned nothing')
  return view
}

export async function listHostLicenses(
  deps: Deps,
  hostId: string,
  query: ListLicensesQuery,
): Promise<LicenseListResponse> {
  const limit = query.limit ?? LIST_LIMIT_DEFAULT
  const conditions: SQL[] = [eq(hostLicenses.hostId, hostId)]
  if (query.status) conditions.push(eq(licenses.status, query.status))
  if (query.server_id) conditions.push(eq(hostLicenses.serverId, query.server_id))
  if (query.cursor) conditions.push(pastPosition(hostLicenses.provisionedAt, hostLicenses.licenseId, decodeCursor(query.cursor), 'asc'))
  const rows = await baseQuery(deps.db)
    .where(and(...conditions))
    .orderBy(asc(hostLicenses.provisionedAt), asc(hostLicenses.licenseId))
    .limit(limit + 1)
  const page = takePage(rows, limit, row => ({ at: row.at, id: row.link.licenseId }))
  return {
    licenses: await presentHostLicenses(deps, page.rows),
    next_cursor: page.next ? encodeCursor(page.next) : null,
  }
}

export async function getHostLicense(deps: Deps, hostId: string, licenseId: string): Promise<LicenseView> {
  const [row] = await baseQuery(deps.db).where(and(eq(hostLicenses.hostId, hostId), eq(hostLicenses.licenseId, licenseId)))
  if (!row) throw new NotFound('License')
  return presentOne(deps, row)
}

type Change = { license: Partial<License>, link: Partial<HostLicense> } | null

/**
 * Locks the host's license row (one query authorizes, finds and locks), lets `decide` pick the
 * change from the current state, and writes license and link together.
 */
async function changeLicense(deps: Deps, hostId: string, licenseId: string, decide: (row: Row, now: Date) => Change): Promise<LicenseView> {
  const row = await deps.db.transaction(async (tx) => {
    const [current] = await tx.select(rowSelection)
      .from(hostLicenses)
      .innerJoin(licenses, eq(licenses.id, hostLicenses.licenseId))
      .innerJoin(users, eq(users.id, licenses.userId))
      .where(and(eq(hostLicenses.hostId, hostId), eq(hostLicenses.licenseId, licenseId)))
      .for('update', { of: [hostLicenses, licenses] })
    if (!current) throw new NotFound('License')
    const now = deps.clock.now()
    const change = decide(current, now)
    if (!change) return current
    const [license] = await tx.update(licenses).set({ ...change.license, updatedAt: now }).where(eq(licenses.id, current.license.id)).returning()
    let link = current.link
    if (Object.keys(change.link).length > 0) {
      const [updated] = await tx.update(hostLicenses).set(change.link)
        .where(and(eq(hostLicenses.id, current.link.id), eq(hostLicenses.hostId, hostId))).returning()
      if (updated) link = updated
    }
    if (!license) throw new Error('license update returned nothing')
    return { ...current, license, link }
  })
  return presentOne(deps, row)
}

const revokedIsFinal = () => new Conflict('This license is revoked; revocation is final (provision the server_id again for a new license)', { status: 'revoked' })

export function updateHostLicense(deps: Deps, hostId: string, licenseId: string, input: UpdateLicenseInput): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }) => {
    if (license.status === 'revoked') throw revokedIsFinal()
    if (license.hostname === input.hostname) return null
    return { license: { hostname: input.hostname }, link: {} }
  })
}

/** Suspended: storefront 404, agent refused, still billable. Idempotent. */
export function suspendHostLicense(deps: Deps, hostId: string, licenseId: string): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }, now) => {
    if (license.status === 'revoked') throw revokedIsFinal()
    if (license.status === 'suspended') return null
    return { license: { status: 'suspended', suspendedAt: now }, link: { suspendedAt: now } }
  })
}

export function reactivateHostLicense(deps: Deps, hostId: string, licenseId: string): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }) => {
    if (license.status === 'revoked') throw revokedIsFinal()
    if (license.status === 'active') return null
    return { license: { status: 'active', suspendedAt: null }, link: { suspendedAt: null } }
  })
}

/** Final. Frees the server_id for a new provisioning; not billable from the next month on. Idempotent. */
export function revokeHostLicense(deps: Deps, hostId: string, licenseId: string): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }, now) => {
    if (license.status === 'revoked') return null
    return { license: { status: 'revoked', revokedAt: now }, link: { revokedAt: now } }
  })
}
