import { and, asc, eq, lte } from 'drizzle-orm'
import { discordOutbox, storeConfig, storeTransactionLines, type StoreTransactionRow } from '../../db/schema'
import { DISCORD_MAX_ATTEMPTS, DISCORD_RETRY_FIRST_SECONDS } from '../../../shared/contracts/limits'
import { centsToDecimal } from '../../../shared/rules/money'
import type { Deps } from '../../platform/deps'
import type { AppEnv } from '../../platform/env'
import { InvalidInput } from '../../platform/errors'

// Purchase announcements on the owner's Discord channel. A row is written with the payment (same
// database transaction) and sent later by a relay, so Discord being slow or down never holds up a
// purchase. The webhook URL is a credential for the channel: it is never logged or audited.

const DISCORD_HOSTS = ['https://discord.com', 'https://discordapp.com']
const WEBHOOK_PATH = /^\/api\/webhooks\/\d{1,30}\/[A-Za-z0-9_-]{1,200}$/

/** The origins a webhook URL may point at: Discord's, or DISCORD_API_BASE in tests. */
function allowedOrigins(env: Pick<AppEnv, 'discordApiBase'>): string[] {
  return env.discordApiBase ? [env.discordApiBase, ...DISCORD_HOSTS.slice(1)] : DISCORD_HOSTS
}

/** null/"" → null; a Discord execute-webhook URL → itself; anything else → 400 on the field. */
export function checkDiscordWebhookUrl(env: Pick<AppEnv, 'discordApiBase'>, raw: string | null): string | null {
  if (!raw) return null
  let url: URL | undefined
  try {
    url = new URL(raw)
  }
  catch {
    url = undefined
  }
  const ok = url !== undefined && url.username === '' && url.password === '' && url.search === '' && url.hash === ''
    && allowedOrigins(env).includes(url.origin) && WEBHOOK_PATH.test(url.pathname)
  if (!ok) throw new InvalidInput([{ path: 'discord_webhook_url', message: 'must be a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>) or null' }])
  return url!.toString()
}

/** Where the relay posts: DISCORD_API_BASE replaces https://discord.com (tests). */
function targetUrl(env: Pick<AppEnv, 'discordApiBase'>, stored: string): string {
  const url = new URL(stored)
  if (!env.discordApiBase || url.origin === env.discordApiBase) return stored
  return `${env.discordApiBase}${url.pathname}`
}

/** Writes the announcement of a paid purchase when the store has a webhook (once per transaction). */
export async function queueAnnouncement(deps: Deps, tx: StoreTransactionRow): Promise<void> {
  const [config] = await deps.db.select({ url: storeConfig.discordWebhookUrl, name: storeConfig.name }).from(storeConfig).where(eq(storeConfig.licenseId, tx.licenseId))
  if (!config?.url) return
  const lines = await deps.db.select({ name: storeTransactionLines.itemName, quantity: storeTransactionLines.quantity }).from(storeTransactionLines)
    .where(and(eq(storeTransactionLines.transactionId, tx.id), eq(storeTransactionLines.licenseId, tx.licenseId)))
    .orderBy(asc(storeTransactionLines.position))
  const items = (lines.length > 0 ? lines : [{ name: tx.itemName, quantity: tx.quantity }]).map(l => `${l.name} ×${l.quantity}`).join(', ')
  const now = deps.clock.now()
  const payload = {
    username: config.name.slice(0, 80) || 'Cairn',
    allowed_mentions: { parse: [] },
    embeds: [{
      title: 'New purchase',
      description: `**${tx.playerName}** bought ${items}`.slice(0, 4000),
      fields: [{ name: 'Amount', value: `${centsToDecimal(tx.amountCents)} ${tx.currency}`, inline: true }],
      timestamp: (tx.paidAt ?? now).toISOString(),
    }],
  }
  await deps.db.insert(discordOutbox).values({ licenseId: tx.licenseId, transactionId: tx.id, payload, nextAttemptAt: now, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
}

export type FetchLike = (url: string, init: { method: string, headers: Record<string, string>, body: string, signal: AbortSignal }) => Promise<{ status: number, text(): Promise<string> }>

/** Retry delay after `attempts` failures: Discord's retry_after when it gave one, else doubling. */
export function retryDelayMs(attempts: number, retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0) return Math.ceil(retryAfterSeconds * 1000)
  return DISCORD_RETRY_FIRST_SECONDS * 1000 * 2 ** Math.max(0, attempts - 1)
}

function retryAfterOf(status: number, body: string): number | undefined {
  if (status !== 429) return undefined
  try {
    const parsed = JSON.parse(body) as { retry_after?: unknown }
    return typeof parsed.retry_after === 'number' ? parsed.retry_after : undefined
  }
  catch {
    return undefined
  }
}

/**
 * Sends due announcements (claimed with FOR UPDATE SKIP LOCKED: safe on every replica). A 2xx is
 * sent; 429 and 5xx are retried with backoff; a 4xx (webhook deleted) or too many attempts gives up.
 */
export async function sendDueAnnouncements(deps: Deps, fetchImpl: FetchLike, batch = 20): Promise<number> {
  return deps.db.transaction(async (t) => {
    const now = deps.clock.now()
    const due = await t.select({ row: discordOutbox, url: storeConfig.discordWebhookUrl }).from(discordOutbox)
      .leftJoin(storeConfig, eq(storeConfig.licenseId, discordOutbox.licenseId))
      .where(and(eq(discordOutbox.status, 'pending'), lte(discordOutbox.nextAttemptAt, now)))
      .orderBy(asc(discordOutbox.nextAttemptAt))
      .limit(batch)
      .for('update', { of: discordOutbox, skipLocked: true })
    for (const { row, url } of due) {
      const attempts = row.attempts + 1
      let status = 0
      let body = ''
      if (url) {
        try {
          const res = await fetchImpl(`${targetUrl(deps.env, url)}?wait=false`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(row.payload), signal: AbortSignal.timeout(5000) })
          status = res.status
          body = await res.text().catch(() => '')
        }
        catch {
          status = 0
        }
      }
      const done = status >= 200 && status < 300
      const retry = url !== null && !done && (status === 0 || status === 429 || status >= 500) && attempts < DISCORD_MAX_ATTEMPTS
      await t.update(discordOutbox).set({
        status: done ? 'sent' : retry ? 'pending' : 'failed',
        attempts,
        sentAt: done ? now : null,
        lastError: done ? null : url ? `discord answered ${status || 'nothing'}` : 'no webhook configured',
        nextAttemptAt: retry ? new Date(now.getTime() + retryDelayMs(attempts, retryAfterOf(status, body))) : now,
        updatedAt: now,
      }).where(eq(discordOutbox.id, row.id))
      if (!done && !retry) deps.log.warn('discord announcement given up', { license_id: row.licenseId, transaction_id: row.transactionId, status })
    }
    return due.length
  })
}
