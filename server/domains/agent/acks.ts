import { and, eq, inArray } from 'drizzle-orm'
import { deliveries, storeTransactions, type DeliveryRow } from '../../db/schema'
import type { AckOutcome, AgentAck } from '../../../shared/contracts/agent'
import type { AckResult, AckStatus, OutboxKind } from '../../../shared/contracts/enums'
import { ACK_DETAIL_MAX_LENGTH } from '../../../shared/contracts/limits'
import type { Deps } from '../../platform/deps'

// Acknowledgements from the companion agent, by NATS or HTTP. An ack only touches rows of the
// license it came from; a repeated ack is a no-op.

/**
 * What closing a row means for the thing it delivered (the transaction, the module install);
 * `deps.db` is the ack's transaction and `now` the time the row was closed.
 */
export type AckHandler = (deps: Deps, row: DeliveryRow, status: AckStatus, now: Date) => Promise<void>

const handlers = new Map<OutboxKind, AckHandler>()

/** Lets other features (module installs) react to their acks inside the same transaction. */
export function registerAckHandler(kind: OutboxKind, handler: AckHandler): void {
  handlers.set(kind, handler)
}

// The sale's own delivery settles the order; a successful resend also repairs a failed one.
// Revoke and expiry deliveries leave the order's status alone.
registerAckHandler('delivery', async (deps, row, status, now) => {
  const from = row.reason === 'resend' ? (status === 'done' ? ['paid', 'failed'] as const : []) : row.reason === 'purchase' || row.reason === 'manual' ? ['paid'] as const : []
  if (from.length === 0) return
  await deps.db.update(storeTransactions)
    .set(status === 'done' ? { status: 'delivered', deliveredAt: now, updatedAt: now } : { status: 'failed', failureReason: 'delivery failed on the game server', updatedAt: now })
    .where(and(eq(storeTransactions.id, row.refId), eq(storeTransactions.licenseId, row.licenseId), inArray(storeTransactions.status, [...from])))
})

// eslint-disable-next-line no-control-regex -- strip control characters from agent-supplied text
const CONTROL = /[\u0000-\u001F\u007F]/g

export async function applyAcks(deps: Deps, licenseId: string, acks: AgentAck[]): Promise<AckOutcome[]> {
  const results: AckOutcome[] = []
  const now = deps.clock.now()
  for (const ack of acks) {
    const result = await deps.db.transaction(async (t): Promise<AckResult> => {
      const [row] = await t.update(deliveries)
        .set({ status: ack.status, ackedAt: now, detail: ack.detail?.replace(CONTROL, ' ').slice(0, ACK_DETAIL_MAX_LENGTH) ?? null, updatedAt: now })
        .where(and(eq(deliveries.id, ack.id), eq(deliveries.licenseId, licenseId), eq(deliveries.kind, ack.kind), inArray(deliveries.status, ['pending', 'sent'])))
        .returning()
      if (!row) {
        const [known] = await t.select({ id: deliveries.id }).from(deliveries)
          .where(and(eq(deliveries.id, ack.id), eq(deliveries.licenseId, licenseId), eq(deliveries.kind, ack.kind)))
        return known ? 'duplicate' : 'unknown'
      }
      await handlers.get(row.kind)?.({ ...deps, db: t }, row, ack.status, now)
      return 'applied'
    })
    results.push({ id: ack.id, result })
  }
  return results
}
