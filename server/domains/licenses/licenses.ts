import { and, asc, eq, gt, isNull, like, ne, or, sql } from 'drizzle-orm'
import { claimTokens, licenses, type License, type User } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { open, randomBase32, randomToken, seal, sha256Hex } from '../../platform/crypto'
import type { AppEnv } from '../../platform/env'
import { NotFound } from '../../platform/errors'
import { isUniqueViolation } from '../../platform/pg-errors'
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

/**
 * Creates a license with fresh secrets and a unique subdomain. Call it inside a transaction;
 * a lost race on the subdomain retries in a savepoint instead of failing the call.
 */
export async function createLicense(
  deps: Deps,
  input: { userId: string, email: string, hostname?: string | null, subdomain?: string },
): Promise<CreatedLicense> {
  const id = globalThis.crypto.randomUUID()
  const companionToken = generateCompanionToken()
  const base = input.subdomain ?? subdomainBase(input.hostname, input.email)
  // Serialises concurrent creations that share a base name until the caller's transaction ends,
  // so each one sees the others' committed names instead of racing for the same one.
  await deps.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`subdomain:${base}`}, 0))`)
  for (let attempt = 0; attempt < 8; attempt++) {
    const taken = await deps.db.select({ subdomain: licenses.subdomain }).from(licenses)
      .where(or(eq(licenses.subdomain, base), like(licenses.subdomain, `${base.replace(/[%_\\]/g, '\\$&')}-%`)))
    const subdomain = firstFreeSubdomain(base, taken.map(r => r.subdomain))
    try {
      const license = await deps.db.transaction(async (sp) => {
        const [row] = await sp.insert(licenses).values({
          id,
          userId: input.userId,
          licenseKey: generateLicenseKey(),
          companionTokenHash: sha256Hex(companionToken),
          companionTokenSealed: seal(deps.keys.seal, companionToken, companionAad(id)),
          subdomain,
          hostname: input.hostname ?? null,
        }).returning()
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
  const now = deps.clock.now()
  const [existing] = await deps.db.select().from(claimTokens)
    .where(and(eq(claimTokens.userId, user.id), isNull(claimTokens.usedAt), gt(claimTokens.expiresAt, now)))
    .orderBy(sql`${claimTokens.createdAt} desc`)
    .limit(1)
  if (existing) return open(deps.keys.seal, existing.tokenSealed, claimAad(user.id))
  const token = randomToken(24)
  await deps.db.insert(claimTokens).values({
    userId: user.id,
    licenseId,
    tokenHash: sha256Hex(token),
    tokenSealed: seal(deps.keys.seal, token, claimAad(user.id)),
    expiresAt: new Date(now.getTime() + CLAIM_TTL_MS),
    createdAt: now,
  })
  return token
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
