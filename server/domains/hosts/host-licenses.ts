import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { hostLicenses, LICENSE_STATUSES, licenses, users, type HostLicense, type License, type User } from '../../db/schema'
import { Conflict, InvalidInput, NotFound } from '../../platform/errors'
import { ensureClaimToken, openCompanionToken, presentLicense, type LicenseView } from '../licenses/licenses'
import { hostnameSchema, serverIdSchema, type HostDeps } from './provisioning'
import { UUID_RE } from '../../platform/validation'

// A host's view of its licenses: list, read, rename, suspend, reactivate, revoke. Every query
// carries the host id, so another host's license id is indistinguishable from a missing one.


/** A path id that is not a UUID cannot name a license: 404 like any other unknown id. */
export function licenseIdParam(value: unknown): string {
  if (typeof value !== 'string' || !UUID_RE.test(value)) throw new NotFound('License')
  return value.toLowerCase()
}

const limitSchema = z.string()
  .regex(/^\d{1,6}$/, 'must be a whole number from 1 to 500')
  .transform(Number)
  .pipe(z.number().min(1, 'must be a whole number from 1 to 500').max(500, 'must be a whole number from 1 to 500'))

export const listLicensesQuerySchema = z.object({
  status: z.enum(LICENSE_STATUSES, { message: `must be one of ${LICENSE_STATUSES.join(', ')}` }).optional(),
  server_id: serverIdSchema.optional(),
  limit: limitSchema.optional(),
  cursor: z.string().max(200, 'is not a valid cursor').optional(),
})

export const updateLicenseSchema = z.object({ hostname: hostnameSchema })

interface Cursor {
  at: Date
  id: string
}

export function encodeCursor(link: Pick<HostLicense, 'provisionedAt' | 'licenseId'>): string {
  return Buffer.from(JSON.stringify([link.provisionedAt.toISOString(), link.licenseId])).toString('base64url')
}

export function decodeCursor(cursor: string): Cursor {
  const invalid = () => new InvalidInput([{ path: 'cursor', message: 'is not a valid cursor (use next_cursor from the previous page)' }])
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  }
  catch {
    throw invalid()
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid()
  const [at, id] = parsed as unknown[]
  if (typeof at !== 'string' || typeof id !== 'string' || !UUID_RE.test(id)) throw invalid()
  const date = new Date(at)
  // Years 0001–9999 only: PostgreSQL refuses year 0 and the ±YYYYYY forms (a 500 otherwise).
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at || !/^(?!0000)\d{4}-/.test(at)) throw invalid()
  return { at: date, id }
}

interface Row {
  link: HostLicense
  license: License
  user: Pick<User, 'id' | 'passwordHash'>
}

const rowSelection = { link: hostLicenses, license: licenses, user: { id: users.id, passwordHash: users.passwordHash } }

function baseQuery(db: Db) {
  return db.select(rowSelection)
    .from(hostLicenses)
    .innerJoin(licenses, eq(licenses.id, hostLicenses.licenseId))
    .innerJoin(users, eq(users.id, licenses.userId))
}

/** Presents rows without companion tokens (lists), reusing one claim token per unclaimed customer. */
async function present(deps: HostDeps, rows: Row[]): Promise<LicenseView[]> {
  const claimTokens = new Map<string, string | null>()
  const out: LicenseView[] = []
  for (const row of rows) {
    let claimToken = claimTokens.get(row.user.id)
    if (claimToken === undefined) {
      claimToken = row.user.passwordHash ? null : await ensureClaimToken(deps.db, deps.sealKey, row.user, row.license.id, deps.clock)
      claimTokens.set(row.user.id, claimToken)
    }
    out.push(presentLicense(deps.env, row.license, {
      customerEmail: row.link.customerEmail,
      serverId: row.link.serverId,
      provisionedAt: row.link.provisionedAt,
      claimToken,
    }))
  }
  return out
}

/** A single license is shown whole, companion token included (sealed at rest for this). */
async function presentOne(deps: HostDeps, row: Row): Promise<LicenseView> {
  const [view] = await present(deps, [row])
  if (!view) throw new Error('present returned nothing')
  return { ...view, companion_token: openCompanionToken(deps.sealKey, row.license) }
}

export async function listHostLicenses(
  deps: HostDeps,
  hostId: string,
  query: z.output<typeof listLicensesQuerySchema>,
): Promise<{ licenses: LicenseView[], next_cursor: string | null }> {
  const limit = query.limit ?? 50
  const conditions: SQL[] = [eq(hostLicenses.hostId, hostId)]
  if (query.status) conditions.push(eq(licenses.status, query.status))
  if (query.server_id) conditions.push(eq(hostLicenses.serverId, query.server_id))
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor)
    conditions.push(sql`(${hostLicenses.provisionedAt}, ${hostLicenses.licenseId}) > (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)`)
  }
  const rows = await baseQuery(deps.db)
    .where(and(...conditions))
    .orderBy(asc(hostLicenses.provisionedAt), asc(hostLicenses.licenseId))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    licenses: await present(deps, page),
    next_cursor: rows.length > limit && last ? encodeCursor(last.link) : null,
  }
}

export async function getHostLicense(deps: HostDeps, hostId: string, licenseId: string): Promise<LicenseView> {
  const [row] = await baseQuery(deps.db).where(and(eq(hostLicenses.hostId, hostId), eq(hostLicenses.licenseId, licenseId)))
  if (!row) throw new NotFound('License')
  return presentOne(deps, row)
}

type Change = { license: Partial<License>, link: Partial<HostLicense> } | null

/**
 * Locks the host's license row (one query authorizes, finds and locks), lets `decide` pick the
 * change from the current state, and writes license and link together.
 */
async function changeLicense(deps: HostDeps, hostId: string, licenseId: string, decide: (row: Row, now: Date) => Change): Promise<LicenseView> {
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

export function updateHostLicense(deps: HostDeps, hostId: string, licenseId: string, input: z.output<typeof updateLicenseSchema>): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }) => {
    if (license.status === 'revoked') throw revokedIsFinal()
    if (license.hostname === input.hostname) return null
    return { license: { hostname: input.hostname }, link: {} }
  })
}

/** Suspended: storefront 404, agent refused, still billable. Idempotent. */
export function suspendHostLicense(deps: HostDeps, hostId: string, licenseId: string): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }, now) => {
    if (license.status === 'revoked') throw revokedIsFinal()
    if (license.status === 'suspended') return null
    return { license: { status: 'suspended', suspendedAt: now }, link: { suspendedAt: now } }
  })
}

export function reactivateHostLicense(deps: HostDeps, hostId: string, licenseId: string): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }) => {
    if (license.status === 'revoked') throw revokedIsFinal()
    if (license.status === 'active') return null
    return { license: { status: 'active', suspendedAt: null }, link: { suspendedAt: null } }
  })
}

/** Final. Frees the server_id for a new provisioning; not billable from the next month on. Idempotent. */
export function revokeHostLicense(deps: HostDeps, hostId: string, licenseId: string): Promise<LicenseView> {
  return changeLicense(deps, hostId, licenseId, ({ license }, now) => {
    if (license.status === 'revoked') return null
    return { license: { status: 'revoked', revokedAt: now }, link: { revokedAt: now } }
  })
}
