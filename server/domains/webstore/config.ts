import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { PAYPAL_MODES, STORE_CURRENCIES, storeConfig, webstoreSubscriptions, type License, type StoreConfigRow } from '../../db/schema'
import { ENABLE_REQUIREMENTS, type EnableRequirement, type StoreConfig } from '../../../shared/contracts/webstore'
import { open, seal } from '../../platform/crypto'
import type { AppEnv } from '../../platform/env'
import { notifyOutbox } from '../agent/signal'
import { InvalidInput } from '../../platform/errors'
import { storeUrl } from '../licenses/licenses'
import { queueInstallIfMissing } from '../modules/installs'
import { booleanField, lineText, longText } from './fields'

/**
 * PUT /api/webstore/config. A field left out keeps its stored value (or the default for a new
 * store); `paypal_client_secret: null` or `""` clears the secret, leaving it out keeps it.
 */
export const storeConfigInputSchema = z.object({
  name: lineText(0, 64).optional(),
  description: longText(2000).optional(),
  currency: z.enum(STORE_CURRENCIES, { error: `must be one of ${STORE_CURRENCIES.join(', ')}` }).optional(),
  paypal_client_id: lineText(0, 128).optional(),
  paypal_client_secret: lineText(0, 256).nullable().optional(),
  paypal_mode: z.enum(PAYPAL_MODES, { error: `must be "sandbox" or "live"` }).optional(),
  paypal_webhook_id: lineText(0, 64).nullable().optional(),
  enabled: booleanField.optional(),
})
export type StoreConfigInputParsed = z.output<typeof storeConfigInputSchema>

const REQUIREMENT_MESSAGES: Record<EnableRequirement, string> = {
  name: 'a store name is required to enable the store',
  paypal_client_id: 'a PayPal client id is required to enable the store',
  paypal_client_secret: 'a PayPal client secret is required to enable the store',
  subscription: 'an active webstore subscription is required to enable the store',
}

/** The secret is bound to its license: a sealed value copied to another row does not open. */
const secretAad = (licenseId: string) => `license:${licenseId}:paypal_client_secret`

export async function getStoreConfig(db: Db, licenseId: string): Promise<StoreConfigRow | undefined> {
  const [row] = await db.select().from(storeConfig).where(eq(storeConfig.licenseId, licenseId))
  return row
}

export async function hasActiveSubscription(db: Db, licenseId: string): Promise<boolean> {
  const [row] = await db.select({ id: webstoreSubscriptions.id }).from(webstoreSubscriptions)
    .where(and(eq(webstoreSubscriptions.licenseId, licenseId), eq(webstoreSubscriptions.status, 'ACTIVE')))
    .limit(1)
  return row !== undefined
}

/** The store's PayPal client secret in clear, for talking to PayPal; null when none is stored. */
export function openPaypalSecret(sealKey: Buffer, row: Pick<StoreConfigRow, 'licenseId' | 'paypalClientSecretSealed'>): string | null {
  return row.paypalClientSecretSealed ? open(sealKey, row.paypalClientSecretSealed, secretAad(row.licenseId)) : null
}

export function sealPaypalSecret(sealKey: Buffer, licenseId: string, secret: string): string {
  return seal(sealKey, secret, secretAad(licenseId))
}

export interface SaveConfigDeps {
  db: Db
  sealKey: Buffer
  now: Date
}

/**
 * Creates or replaces the license's store configuration. Enabling checks every requirement at
 * once so the owner learns the whole list (`data.missing`) from a single answer.
 */
export async function saveStoreConfig(deps: SaveConfigDeps, licenseId: string, input: StoreConfigInputParsed): Promise<StoreConfigRow> {
  const { db, sealKey, now } = deps
  let queuedModule = false
  const saved = await db.transaction(async (tx) => {
    const [stored] = await tx.select().from(storeConfig).where(eq(storeConfig.licenseId, licenseId)).for('update')
    const secretSealed = input.paypal_client_secret === undefined
      ? stored?.paypalClientSecretSealed ?? null
      : input.paypal_client_secret ? sealPaypalSecret(sealKey, licenseId, input.paypal_client_secret) : null
    const next = {
      name: input.name ?? stored?.name ?? '',
      description: input.description ?? stored?.description ?? '',
      currency: input.currency ?? stored?.currency ?? 'USD',
      paypalClientId: input.paypal_client_id ?? stored?.paypalClientId ?? '',
      paypalClientSecretSealed: secretSealed,
      paypalMode: input.paypal_mode ?? stored?.paypalMode ?? 'sandbox',
      paypalWebhookId: input.paypal_webhook_id === undefined ? stored?.paypalWebhookId ?? null : input.paypal_webhook_id || null,
      enabled: input.enabled ?? stored?.enabled ?? false,
      updatedAt: now,
    }

    if (next.enabled) {
      const unmet = new Set<EnableRequirement>()
      if (!next.name) unmet.add('name')
      if (!next.paypalClientId) unmet.add('paypal_client_id')
      if (!next.paypalClientSecretSealed) unmet.add('paypal_client_secret')
      if (!(await hasActiveSubscription(tx, licenseId))) unmet.add('subscription')
      const missing = ENABLE_REQUIREMENTS.filter(r => unmet.has(r))
      if (missing.length > 0) {
        throw new InvalidInput(
          missing.map(path => ({ path, message: REQUIREMENT_MESSAGES[path] })),
          `The store cannot be enabled yet: missing ${missing.join(', ')}`,
          { missing },
        )
      }
    }
    if (!next.name) throw new InvalidInput([{ path: 'name', message: 'is required (1–64 characters)' }])

    const [row] = await tx.insert(storeConfig).values({ licenseId, ...next })
      .onConflictDoUpdate({ target: storeConfig.licenseId, set: next })
      .returning()
    if (!row) throw new Error('store config upsert returned nothing')
    // Opening the store (not every save while open) installs the webstore module on the game
    // server unless it has it or an install is under way; same transaction as the config.
    if (row.enabled && !stored?.enabled) queuedModule = (await queueInstallIfMissing(tx, licenseId, 'webstore', now)) !== null
    return row
  })
  if (queuedModule) notifyOutbox()
  return saved
}

export function presentStoreConfig(env: Pick<AppEnv, 'publicUrl' | 'storeDomain'>, license: Pick<License, 'subdomain'>, row: StoreConfigRow): StoreConfig {
  return {
    name: row.name,
    description: row.description,
    currency: row.currency,
    paypal_client_id: row.paypalClientId,
    paypal_secret_set: row.paypalClientSecretSealed !== null,
    paypal_mode: row.paypalMode,
    paypal_webhook_id: row.paypalWebhookId,
    enabled: row.enabled,
    subdomain: license.subdomain,
    store_url: storeUrl(env, license.subdomain),
    updated_at: row.updatedAt.toISOString(),
  }
}
