import { and, asc, eq, sql } from 'drizzle-orm'
import { storeItems, storeTransactionLines } from '../../db/schema'
import type { Deps } from '../../platform/deps'

// Stock held by a transaction's lines, and the commands its delivery runs. Callers pass the
// database transaction that owns the transaction row's lock.

/** Gives back the units every still-reserved line holds (a failed, cancelled or expired checkout). */
export async function releaseReservedStock(deps: Deps, licenseId: string, transactionId: string): Promise<void> {
  const released = await deps.db.update(storeTransactionLines).set({ stockReserved: false })
    .where(and(eq(storeTransactionLines.transactionId, transactionId), eq(storeTransactionLines.licenseId, licenseId), eq(storeTransactionLines.stockReserved, true)))
    .returning({ itemId: storeTransactionLines.itemId, quantity: storeTransactionLines.quantity })
  for (const line of released) {
    await deps.db.update(storeItems).set({ stock: sql`${storeItems.stock} + ${line.quantity}` })
      .where(and(eq(storeItems.id, line.itemId), eq(storeItems.licenseId, licenseId), sql`${storeItems.stock} is not null`))
  }
}

/** PayPal took the money after the expiry gave the units back: take them again, never below zero (the sale is real). */
export async function retakeStock(deps: Deps, licenseId: string, transactionId: string): Promise<void> {
  const lines = await deps.db.select({ itemId: storeTransactionLines.itemId, quantity: storeTransactionLines.quantity }).from(storeTransactionLines)
    .where(and(eq(storeTransactionLines.transactionId, transactionId), eq(storeTransactionLines.licenseId, licenseId)))
    .orderBy(asc(storeTransactionLines.itemId))
  for (const line of lines) {
    await deps.db.update(storeItems).set({ stock: sql`greatest(${storeItems.stock} - ${line.quantity}, 0)` })
      .where(and(eq(storeItems.id, line.itemId), eq(storeItems.licenseId, licenseId), sql`${storeItems.stock} is not null`))
  }
}
