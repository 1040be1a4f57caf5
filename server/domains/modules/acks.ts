import { and, eq, inArray } from 'drizzle-orm'
import { moduleInstalls } from '../../db/schema'
import { registerAckHandler, type AckHandler } from '../agent/acks'

// The agent's ack of a module install (kind `module_install`) closes the install in the same
// database transaction as its outbox row: done → installed, failed → failed with the detail.

const applyModuleInstallAck: AckHandler = async (deps, row, status, now) => {
  await deps.db.update(moduleInstalls)
    .set({ status: status === 'done' ? 'installed' : 'failed', detail: row.detail, finishedAt: now, updatedAt: now })
    .where(and(eq(moduleInstalls.id, row.refId), eq(moduleInstalls.licenseId, row.licenseId), inArray(moduleInstalls.status, ['queued', 'sent'])))
}

/** Called once at start-up (server/plugins/10.module-acks.ts); registering twice is harmless. */
export function registerModuleInstallAcks(): void {
  registerAckHandler('module_install', applyModuleInstallAck)
}
