import { and, eq, isNull } from 'drizzle-orm'
import { storeItems, storeTransactionLines, storeTransactions } from '../../db/schema'
import type { GrantInput } from '../../../shared/contracts/operations'
import { usedPlaceholders } from '../../../shared/rules/placeholders'
import type { Deps } from '../../platform/deps'
import { InvalidInput, NotFound } from '../../platform/errors'
import { notifyOutbox } from '../agent/signal'
import { getStoreConfig } from '../webstore/config'
import { withLines, type TransactionWithLines } from '../webstore/transaction-lines'
import { recordAudit, type Actor } from './audit'
import { queueLineDelivery } from './deliveries'
import { afterPaid } from './paid'

// Free grants (giveaways, compensation): a paid order of amount 0 with source `manual`, delivered
// like a purchase. Stock and purchase limits do not apply, and it never counts as revenue.

export async function createGrant(deps: Deps, licenseId: string, input: GrantInput, actor: Actor): Promise<TransactionWithLines> {
  const tx = await deps.db.transaction(async (t) => {
    const txDeps = { ...deps, db: t }
    const [item] = await t.select().from(storeItems)
      .where(and(eq(storeItems.id, input.item_id), eq(storeItems.licenseId, licenseId), isNull(storeItems.deletedAt)))
    if (!item) throw new NotFound('Item')
    if (!input.player_uuid && [...item.commands, ...item.revokeCommands].some(c => usedPlaceholders(c.command).includes('uuid'))) {
      throw new InvalidInput([{ path: 'player_uuid', message: 'is required for this item' }])
    }
    const config = await getStoreConfig(txDeps, licenseId)
    const now = deps.clock.now()
    const [row] = await t.insert(storeTransactions).values({
      licenseId,
      itemId: item.id,
      itemName: item.name,
      playerName: input.player_name,
      playerUuid: input.player_uuid ?? null,
      quantity: input.quantity,
      unitPriceCents: 0,
      amountCents: 0,
      subtotalCents: 0,
      currency: config?.currency ?? 'USD',
      status: 'paid',
      source: 'manual',
      grantedBy: actor.userId,
      grantNote: input.note ?? null,
      createdAt: now,
      updatedAt: now,
      paidAt: now,
    }).returning()
    if (!row) throw new Error('grant insert returned nothing')
    await t.insert(storeTransactionLines).values({
      transactionId: row.id,
      licenseId,
      itemId: item.id,
      itemName: item.name,
      position: 0,
      quantity: input.quantity,
      unitPriceCents: 0,
      regularUnitPriceCents: item.priceCents,
      lineCents: 0,
    })
    await queueLineDelivery(txDeps, row, 'manual', 'commands')
    await afterPaid(txDeps, row)
    await recordAudit(txDeps, licenseId, actor, 'grant.create', row.id, { item_id: item.id, player_name: row.playerName, quantity: row.quantity, note: row.grantNote })
    const [fresh] = await t.select().from(storeTransactions).where(eq(storeTransactions.id, row.id))
    const [withItsLines] = await withLines(txDeps, licenseId, [fresh ?? row])
    return withItsLines!
  })
  notifyOutbox()
  return tx
}
