import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { deliveries, type DeliveryRow, type StoreCommand, type StoreTransactionRow } from '../../db/schema'
import type { AgentMessage, AgentQueue, DeliveryMessage, ModuleInstallMessage } from '../../../shared/contracts/agent'
import type { OutboxKind } from '../../../shared/contracts/enums'
import { AGENT_QUEUE_BATCH } from '../../../shared/contracts/limits'
import type { Deps } from '../../platform/deps'
import { centsToDecimal } from '../../../shared/rules/money'
import { renderCommand } from '../../../shared/rules/placeholders'

// Writing and reading the agent outbox. Writers call these inside their own database
// transaction, so the row exists exactly when the state change that caused it committed.

/** One basket line's commands, rendered with that line's own quantity, item and price. */
export interface DeliveryLine {
  itemId: string
  quantity: number
  unitPriceCents: number
  commands: StoreCommand[]
}

/** The agent's delivery message: every line's commands in basket order, rendered with validated values only. */
export function buildDeliveryMessage(id: string, tx: StoreTransactionRow, lines: DeliveryLine[], now: Date): DeliveryMessage {
  const base = { player: tx.playerName, uuid: tx.playerUuid ?? '', transaction_id: tx.id, currency: tx.currency }
  return {
    id,
    transaction_id: tx.id,
    player: { name: tx.playerName, uuid: tx.playerUuid },
    commands: lines.flatMap((line) => {
      const values = { ...base, quantity: line.quantity, item_id: line.itemId, price: centsToDecimal(line.unitPriceCents) }
      return line.commands.map(c => ({ command: renderCommand(c.command, values), require_online: c.require_online }))
    }),
    created_at: now.toISOString(),
  }
}

/**
 * Queues any other agent-bound message (e.g. a module install) on the same relay. `payload.id`
 * must equal `id`; the agent de-duplicates by it.
 */
export async function enqueueAgentMessage(deps: Deps, input: { id: string, licenseId: string, kind: OutboxKind, refId: string, payload: AgentMessage }): Promise<DeliveryRow | null> {
  const now = deps.clock.now()
  const [row] = await deps.db.insert(deliveries).values({ ...input, nextAttemptAt: now, createdAt: now, updatedAt: now })
    .onConflictDoNothing().returning()
  return row ?? null
}

/** A pending row whose transaction was refunded before it left: it must never run. */
export async function cancelUnsentDelivery(deps: Deps, licenseId: string, transactionId: string, reason: string): Promise<void> {
  const now = deps.clock.now()
  await deps.db.update(deliveries).set({ status: 'failed', detail: reason, ackedAt: now, updatedAt: now })
    .where(and(eq(deliveries.licenseId, licenseId), eq(deliveries.kind, 'delivery'), eq(deliveries.refId, transactionId), eq(deliveries.status, 'pending')))
}

const HTTP_RESEND_MS = 60_000

/**
 * The HTTP agent queue: the license's unacknowledged messages, oldest first. Rows handed out
 * here count as sent, so the relay does not publish them again right away.
 */
export async function takeOpenMessages(deps: Deps, licenseId: string, limit = AGENT_QUEUE_BATCH): Promise<AgentQueue> {
  const now = deps.clock.now()
  const rows = await deps.db.select().from(deliveries)
    .where(and(eq(deliveries.licenseId, licenseId), inArray(deliveries.status, ['pending', 'sent'])))
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
    .limit(limit)
  // New rows, and sent rows due again (their re-send time passed), count as handed out now: a
  // long-poll (./queue.ts) then waits instead of returning them again at once.
  const fresh = rows.filter(r => r.status === 'pending' || r.nextAttemptAt <= now).map(r => r.id)
  if (fresh.length > 0) {
    await deps.db.update(deliveries).set({
      status: 'sent',
      attempts: sql`${deliveries.attempts} + 1`,
      sentAt: now,
      nextAttemptAt: new Date(now.getTime() + HTTP_RESEND_MS),
      updatedAt: now,
    }).where(and(eq(deliveries.licenseId, licenseId), inArray(deliveries.id, fresh), inArray(deliveries.status, ['pending', 'sent'])))
  }
  return {
    deliveries: rows.filter(r => r.kind === 'delivery').map(r => r.payload as DeliveryMessage),
    module_installs: rows.filter(r => r.kind === 'module_install').map(r => r.payload as ModuleInstallMessage),
  }
}
