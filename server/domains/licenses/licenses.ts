import { and, asc, eq, gt, inArray, isNull, like, ne, or, sql } from 'drizzle-orm'
import { claimTokens, licenses, type License, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { open, randomBase32, randomToken, seal, sha256Hex } from '../../platform/crypto'
import type { AppEnv } from '../../platform/env'
import { NotFound } from '../../platform/errors'
import { isUniqueViolation } from '../../platform/pg-errors'
import { lockKeys } from '../../platform/xact-locks'
import type { LicenseView, OwnedLicense } from '../../../shared/contracts/licenses'
import { CLAIM_TOKEN_TTL_DAYS } from '../../../shared/contracts/limits'
import { firstFreeSubdomain, subdomainBase } from '../../../shared/rules/subdomain'

export const COMPANION_TOKEN_PREFIX = 'cairn_agent_'
const CLAIM_TTL_MS = CLAIM_TOKEN_TTL_DAYS * 24 * 60 * 60 * 1000

/** `CAIRN-XXXXX-XXXXX-XXXXX-XXXXX`, Crockford base32 (100 random bits). */
function generateLicenseKey(): string {
  return ['CAIRN', randomBase32(5), randomBase32(5), randomBase32(5), randomBase32(5)].join('-')
}

function generateCompanionToken(): string {
  return `${COMPANION_TOKEN_PREFIX}${randomToken(24)}`
}

const companionAad = (licenseId: string) => `license:${licenseId}:companion`
const claimAad = (userId: string) => `user:${userId}:claim`

export interface CreatedLicense {
  license: License
  companionToken: string
}

type LicenseInput = { userId: string, email: string, hostname?: string | null, subdomain?: string }

function newLicenseRow(deps: Pick<Deps, 'keys'>, id: string, companionToken: string, input: LicenseInput, subdomain: string) {
  return {
    id,
    userId: input.userId,
    licenseKey: generateLicenseKey(),
    companionTokenHash: sha256Hex(companionToken),
    companionTokenSealed: seal(deps.keys.seal, companionToken, companionAad(id)),
    subdomain,
    hostname: input.hostname ?? null,
  }
}

/**
 * Creates a license with fresh secrets and a unique subdomain. Call it inside a transaction;
 * a lost race on the subdomain retries in a savepoint instead of failing the call.
 */
export async function createLicense(
  deps: Deps,
  input: LicenseInput,
): Promise<CreatedLicense> {
  const id = globalThis.crypto.randomUUID()
  const companionToken = generateCompanionToken()
  const base = input.subdomain ?? subdomainBase(input.hostname, input.email)
  // Serialises concurrent creations that share a base name until the caller's transaction ends,
  // so each one sees the others' committed names instead of racing for the same one.
  await lockKeys(deps, [`subdomain:${base}`])
  for (let attempt = 0; attempt < 8; attempt++) {
    const taken = await deps.db.select({ subdomain: licenses.subdomain }).from(licenses)
      .where(or(eq(licenses.subdomain, base), like(licenses.subdomain, `${base.replace(/[%_\\]/g, '\\$&')}-%`)))
    const subdomain = firstFreeSubdomain(base, taken.map(r => r.subdomain))
    try {
      const license = await deps.db.transaction(async (sp) => {
        const [row] = await sp.insert(licenses).values(newLicenseRow(deps, id, companionToken, input, subdomain)).returning()
        return row
      })
      if (!license) throw new Error('license insert returned nothing')
      return { license, companionToken }
    }
    catch (error) {
      if (!isUniqueViolation(error)) throw error
    }
  }
  throw new Error('could not allocate a unique subdomain')
}

/**
 * Bulk `createLicense` in a constant number of round trips: one advisory lock statement for
 * every base name (sorted, so bulks cannot deadlock each other), one read of the names taken
 * under those bases (index range scans, so the cost follows the matches, not the table), one
 * insert. A name lost to a concurrent creator is a unique violation: the caller's transaction
 * retries as a whole.
 */
export async function createLicenses(deps: Deps, inputs: LicenseInput[]): Promise<CreatedLicense[]> {
  if (inputs.length === 0) return []
  const bases = inputs.map(input => input.subdomain ?? subdomainBase(input.hostname, input.email))
  const unique = [...new Set(bases)].sort()
  await lockKeys(deps, unique.map(base => `subdomain:${base}`))
  // `base` itself and `base-…`: a byte-wise range on the text_pattern_ops index is `like 'base-%'`.
  const taken = await deps.db.select({ subdomain: licenses.subdomain }).from(licenses).where(or(
    inArray(licenses.subdomain, unique),
    ...unique.map(base => sql`(${licenses.subdomain} ~>=~ ${`${base}-`} and ${licenses.subdomain} ~<~ ${`${base}.`})`),
  ))
  const used = new Set(taken.map(r => r.subdomain))
  const created = inputs.map((input, i) => {
    const subdomain = firstFreeSubdomain(bases[i]!, used)
    used.add(subdomain)
    const id = globalThis.crypto.randomUUID()
    const companionToken = generateCompanionToken()
    return { row: newLicenseRow(deps, id, companionToken, input, subdomain), companionToken }
  })
  const rows = await deps.db.insert(licenses).values(created.map(c => c.row)).returning()
  const byId = new Map(rows.map(row => [row.id, row]))
  return created.map(({ row, companionToken }) => {
    const license = byId.get(row.id)
    if (!license) throw new Error('license insert returned fewer rows')
    return { license, companionToken }
  })
}

export function openCompanionToken(deps: Pick<Deps, 'keys'>, license: Pick<License, 'id' | 'companionTokenSealed'>): string {
  return open(deps.keys.seal, license.companionTokenSealed, companionAad(license.id))
}

/** The license a companion token belongs to (looked up by its SHA-256), if any. */
export async function findLicenseByCompanionToken(deps: Deps, token: string): Promise<License | undefined> {
  const [license] = await deps.db.select().from(licenses).where(eq(licenses.companionTokenHash, sha256Hex(token)))
  return license
}

/** The user's licenses, oldest first. */
export async function listUserLicenses(deps: Deps, userId: string): Promise<License[]> {
  return deps.db.select().from(licenses).where(eq(licenses.userId, userId)).orderBy(asc(licenses.createdAt), asc(licenses.id))
}

/** One query authorizes and finds: another user's license is indistinguishable from a missing one. */
export async function findUserLicense(deps: Deps, userId: string, licenseId: string): Promise<License> {
  const [license] = await deps.db.select().from(licenses).where(and(eq(licenses.id, licenseId), eq(licenses.userId, userId)))
  if (!license) throw new NotFound('License')
  return license
}

/** Licenses the owner can act on when none is named: everything not revoked. */
export async function listUsableLicenses(deps: Deps, userId: string): Promise<License[]> {
  return deps.db.select().from(licenses)
    .where(and(eq(licenses.userId, userId), ne(licenses.status, 'revoked')))
    .orderBy(asc(licenses.createdAt), asc(licenses.id))
}

/**
 * A live claim token for a user without a password. Reuses the current one (sealed copy)
 * so repeated provisioning hands out the same panel_url.
 */
export async function ensureClaimToken(deps: Deps, user: Pick<User, 'id'>, licenseId: string | null): Promise<string> {
  const token = (await ensureClaimTokens(deps, [{ userId: user.id, licenseId }])).get(user.id)
  if (!token) throw new Error('claim token missing after insert')
  return token
}

/** Live claim tokens for many customers in two round trips; `licenseId` names the license a new token is for. */
export async function ensureClaimTokens(deps: Deps, wanted: Array<{ userId: string, licenseId: string | null }>): Promise<Map<string, string>> {
  const tokens = new Map<string, string>()
  if (wanted.length === 0) return tokens
  const now = deps.clock.now()
  const live = await deps.db.selectDistinctOn([claimTokens.userId], { userId: claimTokens.userId, tokenSealed: claimTokens.tokenSealed })
    .from(claimTokens)
    .where(and(inArray(claimTokens.userId, [...new Set(wanted.map(w => w.userId))]), isNull(claimTokens.usedAt), gt(claimTokens.expiresAt, now)))
    .orderBy(claimTokens.userId, sql`${claimTokens.createdAt} desc`)
  for (const row of live) tokens.set(row.userId, open(deps.keys.seal, row.tokenSealed, claimAad(row.userId)))
  const fresh = []
  for (const { userId, licenseId } of wanted) {
    if (tokens.has(userId)) continue
    const token = randomToken(24)
    tokens.set(userId, token)
    fresh.push({
      userId,
      licenseId,
      tokenHash: sha256Hex(token),
      tokenSealed: seal(deps.keys.seal, token, claimAad(userId)),
      expiresAt: new Date(now.getTime() + CLAIM_TTL_MS),
      createdAt: now,
    })
  }
  if (fresh.length > 0) await deps.db.insert(claimTokens).values(fresh)
  return tokens
}

export function storeUrl(env: Pick<AppEnv, 'publicUrl' | 'storeDomain'>, subdomain: string): string {
  const protocol = env.publicUrl.startsWith('https:') ? 'https' : 'http'
  return `${protocol}://${subdomain}.${env.storeDomain}`
}

export function pluginDownloadUrl(env: Pick<AppEnv, 'pluginDownloadUrl'>, licenseKey: string): string {
  return env.pluginDownloadUrl.replaceAll('{license_key}', encodeURIComponent(licenseKey))
}

function panelUrl(env: Pick<AppEnv, 'publicUrl'>, licenseId: string, claimToken: string | null): string {
  const query = `license=${encodeURIComponent(licenseId)}`
  return claimToken ? `${env.publicUrl}/claim/${claimToken}?${query}` : `${env.publicUrl}/admin?${query}`
}

/** API.md's License. `companionToken` is omitted from lists. */
export function presentLicense(
  env: Pick<AppEnv, 'publicUrl' | 'storeDomain' | 'pluginDownloadUrl'>,
  license: License,
  extra: { customerEmail: string, serverId?: string | null, provisionedAt?: Date, companionToken?: string, claimToken?: string | null },
): LicenseView {
  return {
    license_id: license.id,
    server_id: extra.serverId ?? null,
    hostname: license.hostname,
    customer_email: extra.customerEmail,
    status: license.status,
    license_key: license.licenseKey,
    ...(extra.companionToken === undefined ? {} : { companion_token: extra.companionToken }),
    plugin_download_url: pluginDownloadUrl(env, license.licenseKey),
    subdomain: license.subdomain,
    panel_url: panelUrl(env, license.id, extra.claimToken ?? null),
    store_url: storeUrl(env, license.subdomain),
    provisioned_at: (extra.provisionedAt ?? license.createdAt).toISOString(),
    suspended_at: license.suspendedAt?.toISOString() ?? null,
    revoked_at: license.revokedAt?.toISOString() ?? null,
  }
}

/** The owner-facing summary used by /api/auth/me. */
export function presentOwnedLicense(license: License): OwnedLicense {
  return {
    license_id: license.id,
    license_key: license.licenseKey,
    subdomain: license.subdomain,
    hostname: license.hostname,
    status: license.status,
  }
}
