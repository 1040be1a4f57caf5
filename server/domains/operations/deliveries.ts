import { and, asc, eq } from 'drizzle-orm'
import { deliveries, storeItems, storeTransactionLines, type DeliveryRow, type StoreTransactionRow } from '../../db/schema'
import type { DeliveryMessage } from '../../../shared/contracts/agent'
import type { DeliveryReason } from '../../../shared/contracts/enums'
import type { Delivery } from '../../../shared/contracts/operations'
import type { Deps } from '../../platform/deps'
import { buildDeliveryMessage, type DeliveryLine } from '../agent/outbox'

// Deliveries an owner's action or a refund/expiry adds to a transaction: the purchase commands
// again (resend) or the items' revoke commands, line by line, each line rendered with its own
// quantity. Written through the agent outbox in the caller's database transaction.

/** Which commands of each line's item a delivery runs. */
export type CommandSet = 'commands' | 'revoke_commands'

interface LineCommands extends DeliveryLine {
  timed: boolean
}

async function lineCommands(deps: Deps, tx: StoreTransactionRow, set: CommandSet): Promise<LineCommands[]> {
  const rows = await deps.db.select({
    itemId: storeTransactionLines.itemId,
    quantity: storeTransactionLines.quantity,
    unitPriceCents: storeTransactionLines.unitPriceCents,
    commands: storeItems.commands,
    revokeCommands: storeItems.revokeCommands,
    durationDays: storeItems.durationDays,
  }).from(storeTransactionLines)
    .innerJoin(storeItems, and(eq(storeItems.id, storeTransactionLines.itemId), eq(storeItems.licenseId, tx.licenseId)))
    .where(and(eq(storeTransactionLines.transactionId, tx.id), eq(storeTransactionLines.licenseId, tx.licenseId)))
    .orderBy(asc(storeTransactionLines.position))
  return rows.map(r => ({
    itemId: r.itemId,
    quantity: r.quantity,
    unitPriceCents: r.unitPriceCents,
    commands: set === 'commands' ? r.commands : r.revokeCommands,
    timed: r.durationDays !== null,
  }))
}

/**
 * Queues one delivery of `set` for the transaction's lines (`onlyTimed`: just the lines whose item
 * has a duration). Purchase, manual, revoke and expiry deliveries are unique per transaction
 * (partial unique indexes), so a second call returns null; resends always insert. A delivery with
 * no command at all is not queued (null).
 */
export async function queueLineDelivery(deps: Deps, tx: StoreTransactionRow, reason: DeliveryReason, set: CommandSet, onlyTimed = false): Promise<DeliveryRow | null> {
  const lines = (await lineCommands(deps, tx, set)).filter(l => !onlyTimed || l.timed)
  if (lines.every(l => l.commands.length === 0)) return null
  const id = globalThis.crypto.randomUUID()
  const now = deps.clock.now()
  const [row] = await deps.db.insert(deliveries).values({
    id,
    licenseId: tx.licenseId,
    kind: 'delivery',
    reason,
    refId: tx.id,
    payload: buildDeliveryMessage(id, tx, lines, now),
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  }).onConflictDoNothing().returning()
  return row ?? null
}

export async function listTransactionDeliveries(deps: Deps, licenseId: string, transactionId: string): Promise<DeliveryRow[]> {
  return deps.db.select().from(deliveries)
    .where(and(eq(deliveries.licenseId, licenseId), eq(deliveries.kind, 'delivery'), eq(deliveries.refId, transactionId)))
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
}

export function presentDelivery(row: DeliveryRow): Delivery {
  const payload = row.payload as DeliveryMessage
  return {
    id: row.id,
    reason: row.reason,
    status: row.status,
    commands: payload.commands.map(c => ({ command: c.command, require_online: c.require_online })),
    created_at: row.createdAt.toISOString(),
    acked_at: row.ackedAt?.toISOString() ?? null,
    detail: row.detail,
  }
}
