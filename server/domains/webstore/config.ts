import { and, eq } from 'drizzle-orm'
import { storeConfig, webstoreSubscriptions, type License, type StoreConfigRow } from '../../db/schema'
import { ENABLE_REQUIREMENTS, type EnableRequirement } from '../../../shared/contracts/enums'
import type { StoreConfig, StoreConfigInputParsed } from '../../../shared/contracts/webstore'
import { open, seal } from '../../platform/crypto'
import type { Deps } from '../../platform/deps'
import type { AppEnv } from '../../platform/env'
import { notifyOutbox } from '../agent/signal'
import { InvalidInput } from '../../platform/errors'
import { storeUrl } from '../licenses/licenses'
import { queueInstallIfMissing } from '../modules/installs'
import { changedFields, recordAudit, type Actor } from '../operations/audit'
import { checkDiscordWebhookUrl } from '../operations/discord'
import { assertPaypalModeAllowed } from '../storefront/demo-payment'

const REQUIREMENT_MESSAGES: Record<EnableRequirement, string> = {
  name: 'a store name is required to enable the store',
  paypal_client_id: 'a PayPal client id is required to enable the store',
  paypal_client_secret: 'a PayPal client secret is required to enable the store',
  subscription: 'an active webstore subscription is required to enable the store',
}

/** The secret is bound to its license: a sealed value copied to another row does not open. */
const secretAad = (licenseId: string) => `license:${licenseId}:paypal_client_secret`

export async function getStoreConfig(deps: Deps, licenseId: string): Promise<StoreConfigRow | undefined> {
  const [row] = await deps.db.select().from(storeConfig).where(eq(storeConfig.licenseId, licenseId))
  return row
}

async function hasActiveSubscription(deps: Deps, licenseId: string): Promise<boolean> {
  const [row] = await deps.db.select({ id: webstoreSubscriptions.id }).from(webstoreSubscriptions)
    .where(and(eq(webstoreSubscriptions.licenseId, licenseId), eq(webstoreSubscriptions.status, 'ACTIVE')))
    .limit(1)
  return row !== undefined
}

/** The store's PayPal client secret in clear, for talking to PayPal; null when none is stored. */
export function openPaypalSecret(deps: Pick<Deps, 'keys'>, row: Pick<StoreConfigRow, 'licenseId' | 'paypalClientSecretSealed'>): string | null {
  return row.paypalClientSecretSealed ? open(deps.keys.seal, row.paypalClientSecretSealed, secretAad(row.licenseId)) : null
}

export function sealPaypalSecret(deps: Pick<Deps, 'keys'>, licenseId: string, secret: string): string {
  return seal(deps.keys.seal, secret, secretAad(licenseId))
}

/**
 * Creates or replaces the license's store configuration. Enabling checks every requirement at
 * once so the owner learns the whole list (`data.missing`) from a single answer.
 */
export async function saveStoreConfig(deps: Deps, licenseId: string, input: StoreConfigInputParsed, actor?: Actor): Promise<StoreConfigRow> {
  const now = deps.clock.now()
  const discordWebhookUrl = input.discord_webhook_url === undefined ? undefined : checkDiscordWebhookUrl(deps.env, input.discord_webhook_url)
  let queuedModule = false
  const saved = await deps.db.transaction(async (tx) => {
    const txDeps = { ...deps, db: tx }
    const [stored] = await tx.select().from(storeConfig).where(eq(storeConfig.licenseId, licenseId)).for('update')
    const secretSealed = input.paypal_client_secret === undefined
      ? stored?.paypalClientSecretSealed ?? null
      : input.paypal_client_secret ? sealPaypalSecret(deps, licenseId, input.paypal_client_secret) : null
    const next = {
      name: input.name ?? stored?.name ?? '',
      description: input.description ?? stored?.description ?? '',
      currency: input.currency ?? stored?.currency ?? 'USD',
      paypalClientId: input.paypal_client_id ?? stored?.paypalClientId ?? '',
      paypalClientSecretSealed: secretSealed,
      paypalMode: input.paypal_mode ?? stored?.paypalMode ?? 'sandbox',
      paypalWebhookId: input.paypal_webhook_id === undefined ? stored?.paypalWebhookId ?? null : input.paypal_webhook_id || null,
      enabled: input.enabled ?? stored?.enabled ?? false,
      monthlyGoalCents: input.monthly_goal_cents === undefined ? stored?.monthlyGoalCents ?? null : input.monthly_goal_cents,
      showRecentPurchases: input.show_recent_purchases ?? stored?.showRecentPurchases ?? false,
      discordWebhookUrl: discordWebhookUrl === undefined ? stored?.discordWebhookUrl ?? null : discordWebhookUrl,
      updatedAt: now,
    }

    assertPaypalModeAllowed(deps, next.paypalMode, stored)
    if (next.enabled) {
      const unmet = new Set<EnableRequirement>()
      if (!next.name) unmet.add('name')
      // Demo mode takes no PayPal payments, so it needs no PayPal app.
      if (!next.paypalClientId && next.paypalMode !== 'demo') unmet.add('paypal_client_id')
      if (!next.paypalClientSecretSealed && next.paypalMode !== 'demo') unmet.add('paypal_client_secret')
      if (!(await hasActiveSubscription(txDeps, licenseId))) unmet.add('subscription')
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
    if (actor) await recordAudit(txDeps, licenseId, actor, 'config.update', null, changedFields(input))
    // Opening the store (not every save while open) installs the webstore module on the game
    // server unless it has it or an install is under way; same transaction as the config.
    if (row.enabled && !stored?.enabled) queuedModule = (await queueInstallIfMissing(txDeps, licenseId, 'webstore')) !== null
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
    monthly_goal_cents: row.monthlyGoalCents,
    show_recent_purchases: row.showRecentPurchases,
    discord_webhook_url: row.discordWebhookUrl,
    subdomain: license.subdomain,
    store_url: storeUrl(env, license.subdomain),
    updated_at: row.updatedAt.toISOString(),
  }
}
