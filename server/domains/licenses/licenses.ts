import { and, asc, eq, gt, isNull, like, ne, or, sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { claimTokens, licenses, type License, type User } from '../../db/schema'
import type { Clock } from '../../platform/clock'
import { open, randomBase32, randomToken, seal, sha256Hex } from '../../platform/crypto'
import type { AppEnv } from '../../platform/env'
import { NotFound } from '../../platform/errors'
import { firstFreeSubdomain, subdomainBase } from '../../../shared/rules/subdomain'

export const COMPANION_TOKEN_PREFIX = 'cairn_agent_'
const CLAIM_TTL_MS = 30 * 24 * 60 * 60 * 1000

/** `CAIRN-XXXXX-XXXXX-XXXXX-XXXXX`, Crockford base32 (100 random bits). */
export function generateLicenseKey(): string {
  return ['CAIRN', randomBase32(5), randomBase32(5), randomBase32(5), randomBase32(5)].join('-')
}

export function generateCompanionToken(): string {
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
  db: Db,
  sealKey: Buffer,
  input: { userId: string, email: string, hostname?: string | null, subdomain?: string },
): Promise<CreatedLicense> {
  const id = globalThis.crypto.randomUUID()
  const companionToken = generateCompanionToken()
  const base = input.subdomain ?? subdomainBase(input.hostname, input.email)
  // Serialises concurrent creations that share a base name until the caller's transaction ends,
  // so each one sees the others' committed names instead of racing for the same one.
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`subdomain:${base}`}, 0))`)
  for (let attempt = 0; attempt < 8; attempt++) {
    const taken = await db.select({ subdomain: licenses.subdomain }).from(licenses)
      .where(or(eq(licenses.subdomain, base), like(licenses.subdomain, `${base.replace(/[%_\\]/g, '\\$&')}-%`)))
    const subdomain = firstFreeSubdomain(base, taken.map(r => r.subdomain))
    try {
      const license = await db.transaction(async (sp) => {
        const [row] = await sp.insert(licenses).values({
          id,
          userId: input.userId,
          licenseKey: generateLicenseKey(),
          companionTokenHash: sha256Hex(companionToken),
          companionTokenSealed: seal(sealKey, companionToken, companionAad(id)),
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

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true
  }
  return false
}

export function openCompanionToken(sealKey: Buffer, license: Pick<License, 'id' | 'companionTokenSealed'>): string {
  return open(sealKey, license.companionTokenSealed, companionAad(license.id))
}

/** The license a companion token belongs to (looked up by its SHA-256), if any. */
export async function findLicenseByCompanionToken(db: Db, token: string): Promise<License | undefined> {
  const [license] = await db.select().from(licenses).where(eq(licenses.companionTokenHash, sha256Hex(token)))
  return license
}

/** The user's licenses, oldest first. */
export async function listUserLicenses(db: Db, userId: string): Promise<License[]> {
  return db.select().from(licenses).where(eq(licenses.userId, userId)).orderBy(asc(licenses.createdAt), asc(licenses.id))
}

/** One query authorizes and finds: another user's license is indistinguishable from a missing one. */
export async function findUserLicense(db: Db, userId: string, licenseId: string): Promise<License> {
  const [license] = await db.select().from(licenses).where(and(eq(licenses.id, licenseId), eq(licenses.userId, userId)))
  if (!license) throw new NotFound('License')
  return license
}

/** Licenses the owner can act on when none is named: everything not revoked. */
export async function listUsableLicenses(db: Db, userId: string): Promise<License[]> {
  return db.select().from(licenses)
    .where(and(eq(licenses.userId, userId), ne(licenses.status, 'revoked')))
    .orderBy(asc(licenses.createdAt), asc(licenses.id))
}

/**
 * A live claim token for a user without a password. Reuses the current one (sealed copy)
 * so repeated provisioning hands out the same panel_url.
 */
export async function ensureClaimToken(db: Db, sealKey: Buffer, user: Pick<User, 'id'>, licenseId: string | null, clock: Clock): Promise<string> {
  const now = clock.now()
  const [existing] = await db.select().from(claimTokens)
    .where(and(eq(claimTokens.userId, user.id), isNull(claimTokens.usedAt), gt(claimTokens.expiresAt, now)))
    .orderBy(sql`${claimTokens.createdAt} desc`)
    .limit(1)
  if (existing) return open(sealKey, existing.tokenSealed, claimAad(user.id))
  const token = randomToken(24)
  await db.insert(claimTokens).values({
    userId: user.id,
    licenseId,
    tokenHash: sha256Hex(token),
    tokenSealed: seal(sealKey, token, claimAad(user.id)),
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

export function panelUrl(env: Pick<AppEnv, 'publicUrl'>, licenseId: string, claimToken: string | null): string {
  const query = `license=${encodeURIComponent(licenseId)}`
  return claimToken ? `${env.publicUrl}/claim/${claimToken}?${query}` : `${env.publicUrl}/admin?${query}`
}

export interface LicenseView {
  license_id: string
  server_id: string | null
  hostname: string | null
  customer_email: string
  status: License['status']
  license_key: string
  companion_token?: string
  plugin_download_url: string
  subdomain: string
  panel_url: string
  store_url: string
  provisioned_at: string
  suspended_at: string | null
  revoked_at: string | null
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
export function presentOwnedLicense(license: License) {
  return {
    license_id: license.id,
    license_key: license.licenseKey,
    subdomain: license.subdomain,
    hostname: license.hostname,
    status: license.status,
  }
}
