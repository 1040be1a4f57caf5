import { and, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { deliveries, OUTBOX_KINDS, storeTransactions, type DeliveryRow, type OutboxKind } from '../../db/schema'

// Acknowledgements from the companion agent, by NATS or HTTP. An ack only touches rows of the
// license it came from; a repeated ack is a no-op.

export const ackSchema = z.object({
  id: z.uuid({ message: 'must be a UUID' }),
  kind: z.enum(OUTBOX_KINDS, { error: 'must be "delivery" or "module_install"' }),
  status: z.enum(['done', 'failed'], { error: 'must be "done" or "failed"' }),
  detail: z.string().max(2000, 'must be at most 2000 characters').optional(),
})
export type AgentAck = z.output<typeof ackSchema>

export const acksInputSchema = z.object({
  acks: z.array(ackSchema).min(1, 'must list at least one ack').max(500, 'must list at most 500 acks'),
})

export type AckResult = 'applied' | 'duplicate' | 'unknown'

/** What closing a row means for the thing it delivered (the transaction, the module install). */
export type AckHandler = (db: Db, row: DeliveryRow, status: 'done' | 'failed', now: Date) => Promise<void>

const handlers = new Map<OutboxKind, AckHandler>()

/** Lets other features (module installs) react to their acks inside the same transaction. */
export function registerAckHandler(kind: OutboxKind, handler: AckHandler): void {
  handlers.set(kind, handler)
}

registerAckHandler('delivery', async (db, row, status, now) => {
  await db.update(storeTransactions)
    .set(status === 'done' ? { status: 'delivered', deliveredAt: now, updatedAt: now } : { status: 'failed', failureReason: 'delivery failed on the game server', updatedAt: now })
    .where(and(eq(storeTransactions.id, row.refId), eq(storeTransactions.licenseId, row.licenseId), eq(storeTransactions.status, 'paid')))
})

// eslint-disable-next-line no-control-regex -- strip control characters from agent-supplied text
const CONTROL = /[\u0000-\u001F\u007F]/g

export async function applyAcks(db: Db, licenseId: string, acks: AgentAck[], now: Date): Promise<Array<{ id: string, result: AckResult }>> {
  const results: Array<{ id: string, result: AckResult }> = []
  for (const ack of acks) {
    const result = await db.transaction(async (t): Promise<AckResult> => {
      const [row] = await t.update(deliveries)
        .set({ status: ack.status, ackedAt: now, detail: ack.detail?.replace(CONTROL, ' ').slice(0, 2000) ?? null, updatedAt: now })
        .where(and(eq(deliveries.id, ack.id), eq(deliveries.licenseId, licenseId), eq(deliveries.kind, ack.kind), inArray(deliveries.status, ['pending', 'sent'])))
        .returning()
      if (!row) {
        const [known] = await t.select({ id: deliveries.id }).from(deliveries)
          .where(and(eq(deliveries.id, ack.id), eq(deliveries.licenseId, licenseId), eq(deliveries.kind, ack.kind)))
        return known ? 'duplicate' : 'unknown'
      }
      await handlers.get(row.kind)?.(t, row, ack.status, now)
      return 'applied'
    })
    results.push({ id: ack.id, result })
  }
  return results
}
