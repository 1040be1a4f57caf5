import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm'
import { mailOutbox, type MailOutboxRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { open, seal } from '../../platform/crypto'
import { errorFields } from '../../platform/logger'
import type { Mail, Mailer } from '../../integrations/mail/transport'
import { MAIL_MAX_ATTEMPTS, MAIL_RETRY_FIRST_SECONDS, MAIL_RETRY_MAX_MINUTES } from '../../../shared/contracts/limits'

type Kind = MailOutboxRow['kind']

/**
 * Turns a queued request into the mail to send, or null to drop it (e.g. a reset asked for an
 * address nobody uses). Runs once per row, inside the transaction that stores its result.
 */
export type MailRenderer = (deps: Deps, request: Record<string, unknown>) => Promise<Mail | null>
export type MailRenderers = Partial<Record<Exclude<Kind, 'message'>, MailRenderer>>

const AAD = 'mail-outbox'
/** A claimed row is someone's for this long; a worker that dies mid-send gives it back after. */
const LEASE_MS = 5 * 60_000
const BATCH = 10

/** Queues a mail (or a request to render one) in the caller's transaction. */
export async function enqueueMail(deps: Deps, kind: Kind, payload: Mail | Record<string, unknown>): Promise<void> {
  await deps.db.insert(mailOutbox).values({
    kind,
    payloadSealed: seal(deps.keys.seal, JSON.stringify(payload), AAD),
    nextAttemptAt: deps.clock.now(),
    createdAt: deps.clock.now(),
  })
}

/** Seconds before attempt `attempts + 1`: doubling from the first delay up to the cap. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAIL_RETRY_FIRST_SECONDS * 2 ** Math.max(0, attempts - 1), MAIL_RETRY_MAX_MINUTES * 60)
}

/** Claims due rows with a lease (safe on many replicas), so no transaction stays open during SMTP. */
async function claimDue(deps: Deps): Promise<MailOutboxRow[]> {
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const due = await tx.select({ id: mailOutbox.id }).from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)))
      .orderBy(asc(mailOutbox.nextAttemptAt)).limit(BATCH).for('update', { skipLocked: true })
    if (due.length === 0) return []
    return tx.update(mailOutbox)
      .set({ attempts: sql`${mailOutbox.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
      .where(inArray(mailOutbox.id, due.map(r => r.id)))
      .returning()
  })
}

async function finish(deps: Deps, id: string, status: 'sent' | 'dropped' | 'failed', lastError: string | null = null): Promise<void> {
  await deps.db.update(mailOutbox).set({ status, payloadSealed: null, finishedAt: deps.clock.now(), lastError }).where(eq(mailOutbox.id, id))
}

/** The mail a row stands for: a message as queued, or a request rendered now (once) and stored back. */
async function toMail(deps: Deps, row: MailOutboxRow, renderers: MailRenderers): Promise<Mail | null> {
  const payload = JSON.parse(open(deps.keys.seal, row.payloadSealed ?? '', AAD)) as Record<string, unknown>
  if (row.kind === 'message') return payload as unknown as Mail
  const render = renderers[row.kind]
  if (!render) throw new Error(`no renderer for mail kind ${row.kind}`)
  return deps.db.transaction(async (tx) => {
    const mail = await render({ ...deps, db: tx }, payload)
    if (mail) await tx.update(mailOutbox).set({ kind: 'message', payloadSealed: seal(deps.keys.seal, JSON.stringify(mail), AAD) }).where(eq(mailOutbox.id, row.id))
    return mail
  })
}

/** One pass over due mails: render, send, then mark sent, or schedule a retry (failed after the last). */
export async function processMailOutbox(deps: Deps, mailer: Mailer, renderers: MailRenderers): Promise<{ sent: number, failed: number }> {
  const rows = await claimDue(deps)
  let sent = 0
  let failed = 0
  for (const row of rows) {
    try {
      const mail = await toMail(deps, row, renderers)
      if (!mail) {
        await finish(deps, row.id, 'dropped')
        continue
      }
      await mailer.send(mail)
      await finish(deps, row.id, 'sent')
      sent++
      deps.log.info('mail sent', { outbox_id: row.id })
    }
    catch (error) {
      failed++
      const message = error instanceof Error ? error.message.slice(0, 500) : String(error)
      if (row.attempts >= MAIL_MAX_ATTEMPTS) {
        await finish(deps, row.id, 'failed', message)
        deps.log.error('mail given up', { outbox_id: row.id, attempts: row.attempts, ...errorFields(error) })
      }
      else {
        const retryAt = new Date(deps.clock.now().getTime() + retryDelaySeconds(row.attempts) * 1000)
        await deps.db.update(mailOutbox).set({ nextAttemptAt: retryAt, lastError: message }).where(eq(mailOutbox.id, row.id))
        deps.log.warn('mail not sent, will retry', { outbox_id: row.id, attempts: row.attempts, retry_at: retryAt.toISOString(), error: message })
      }
    }
  }
  return { sent, failed }
}
