import { and, desc, eq } from 'drizzle-orm'
import { auditEvents, type AuditEventRow, type User } from '../../db/schema'
import type { AuditAction } from '../../../shared/contracts/enums'
import { LIST_LIMIT_DEFAULT } from '../../../shared/contracts/limits'
import type { AuditEvent } from '../../../shared/contracts/operations'
import type { Deps } from '../../platform/deps'
import { cursorTimestamp, decodeCursor, encodeCursor, pastPosition, takePage } from '../../platform/pagination'

// The owner audit log: who did what to which record of the store, and when. Recorded inside the
// action's own database transaction, so a rolled-back change leaves no event behind.

/** The signed-in owner acting (from the session), as the audit log names them. */
export interface Actor {
  userId: string
  email: string
}

export function actorOf(user: Pick<User, 'id' | 'email'>): Actor {
  return { userId: user.id, email: user.email }
}

/** Keys whose values are secrets: only whether they were set or cleared is ever recorded. */
const SECRET_KEYS = new Set(['paypal_client_secret', 'discord_webhook_url'])

/**
 * `detail` for an update: the names of the input fields sent, with public values; a secret field
 * records only `"set"` / `"cleared"`.
 */
export function changedFields(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue
    out[key] = SECRET_KEYS.has(key) ? (value ? 'set' : 'cleared') : value
  }
  return out
}

export async function recordAudit(deps: Deps, licenseId: string, actor: Actor, action: AuditAction, targetId: string | null, detail: Record<string, unknown> = {}): Promise<void> {
  await deps.db.insert(auditEvents).values({
    licenseId,
    userId: actor.userId,
    actorEmail: actor.email,
    action,
    targetId,
    detail,
    at: deps.clock.now(),
  })
}

/** Newest first; `next_cursor` is null once the last page has been returned. */
export async function listAudit(deps: Deps, licenseId: string, query: { limit?: number, cursor?: string }): Promise<{ rows: AuditEventRow[], nextCursor: string | null }> {
  const limit = query.limit ?? LIST_LIMIT_DEFAULT
  const after = query.cursor ? decodeCursor(query.cursor) : undefined
  const rows = await deps.db.select({ row: auditEvents, at: cursorTimestamp(auditEvents.at) }).from(auditEvents)
    .where(and(eq(auditEvents.licenseId, licenseId), after ? pastPosition(auditEvents.at, auditEvents.id, after, 'desc') : undefined))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1)
  const page = takePage(rows, limit, r => ({ at: r.at, id: r.row.id }))
  return { rows: page.rows.map(r => r.row), nextCursor: page.next ? encodeCursor(page.next) : null }
}

export function presentAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { user_id: row.userId, email: row.actorEmail },
    action: row.action,
    target_id: row.targetId,
    detail: row.detail,
  }
}
