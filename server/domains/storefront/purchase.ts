import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { storeItems, storeTransactionLines, storeTransactions } from '../../db/schema'
import { Conflict, InvalidInput, NotFound, Unavailable } from '../../platform/errors'
import type { Deps } from '../../platform/deps'
import { PENDING_PURCHASE_TTL_MINUTES } from '../../../shared/contracts/limits'
import type { PurchaseInput, PurchaseResult } from '../../../shared/contracts/storefront'
import { usedPlaceholders } from '../../../shared/rules/placeholders'
import { storePayPal } from './credentials'
import type { OpenStore } from './storefront'
import { markFailed } from './transitions'

// A player's purchase: validated input, price and limits from the database, stock reserved under
// a row lock, then a PayPal order whose approval URL the player is sent to.

const PENDING_TTL_MS = PENDING_PURCHASE_TTL_MINUTES * 60 * 1000

export interface StorefrontUrls {
  /** Where PayPal sends the buyer back: `<storefront>/return?tx=<id>` and `/cancel?tx=<id>`. */
  storefrontBase: string
}

/** Reserves the purchase in one transaction; throws 404/409/400 without writing anything. */
async function reserve(db: Db, store: OpenStore, input: PurchaseInput, now: Date) {
  return db.transaction(async (t) => {
    // The item row lock serialises purchases of one item: limit and stock checks see every
    // committed purchase before them.
    const [item] = await t.select().from(storeItems)
      .where(and(eq(storeItems.id, input.item_id), eq(storeItems.licenseId, store.license.id), eq(storeItems.enabled, true), isNull(storeItems.deletedAt)))
      .for('update')
    if (!item) throw new NotFound('Item')
    if (!input.player_uuid && item.commands.some(c => usedPlaceholders(c.command).includes('uuid'))) {
      throw new InvalidInput([{ path: 'player_uuid', message: 'is required for this item' }])
    }
    if (item.purchaseLimit !== null) {
      const [bought] = await t.select({ total: sql<number>`coalesce(sum(${storeTransactions.quantity}), 0)::int` }).from(storeTransactions)
        .where(and(
          eq(storeTransactions.itemId, item.id),
          eq(storeTransactions.licenseId, store.license.id),
          sql`lower(${storeTransactions.playerName}) = lower(${input.player_name})`,
          inArray(storeTransactions.status, ['pending', 'paid', 'delivered']),
        ))
      const already = bought?.total ?? 0
      if (already + input.quantity > item.purchaseLimit) {
        throw new Conflict('Purchase limit reached for this player', { field: 'quantity', purchase_limit: item.purchaseLimit, already_purchased: already })
      }
    }
    if (item.stock !== null) {
      if (item.stock < input.quantity) throw new Conflict('Out of stock', { field: 'quantity', stock: item.stock })
      await t.update(storeItems).set({ stock: item.stock - input.quantity }).where(eq(storeItems.id, item.id))
    }
    const [tx] = await t.insert(storeTransactions).values({
      licenseId: store.license.id,
      itemId: item.id,
      itemName: item.name,
      playerName: input.player_name,
      playerUuid: input.player_uuid ?? null,
      quantity: input.quantity,
      unitPriceCents: item.priceCents,
      amountCents: item.priceCents * input.quantity,
      subtotalCents: item.priceCents * input.quantity,
      currency: store.config.currency,
      status: 'pending',
      paypalMode: store.config.paypalMode,
      stockReserved: item.stock !== null,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + PENDING_TTL_MS),
    }).returning()
    if (!tx) throw new Error('transaction insert returned nothing')
    await t.insert(storeTransactionLines).values({
      transactionId: tx.id,
      licenseId: store.license.id,
      itemId: item.id,
      itemName: item.name,
      position: 0,
      quantity: input.quantity,
      unitPriceCents: item.priceCents,
      regularUnitPriceCents: item.priceCents,
      lineCents: item.priceCents * input.quantity,
      stockReserved: item.stock !== null,
    })
    return tx
  })
}

export async function createPurchase(deps: Deps, store: OpenStore, input: PurchaseInput, urls: StorefrontUrls): Promise<PurchaseResult> {
  const paypal = storePayPal(deps, store.config)
  if (!paypal) throw new Unavailable('This store cannot take payments right now')
  const tx = await reserve(deps.db, store, input, deps.clock.now())
  try {
    const order = await paypal.createOrder({
      transactionId: tx.id,
      amountCents: tx.amountCents,
      currency: tx.currency,
      description: `${tx.itemName} x${tx.quantity} for ${tx.playerName}`,
      brandName: store.config.name,
      returnUrl: `${urls.storefrontBase}/return?tx=${tx.id}`,
      cancelUrl: `${urls.storefrontBase}/cancel?tx=${tx.id}`,
    })
    await deps.db.update(storeTransactions).set({ paypalOrderId: order.id, approvalUrl: order.approvalUrl, updatedAt: deps.clock.now() })
      .where(and(eq(storeTransactions.id, tx.id), eq(storeTransactions.licenseId, store.license.id)))
    return { transaction_id: tx.id, status: 'pending', approval_url: order.approvalUrl, amount_cents: tx.amountCents, currency: tx.currency }
  }
  catch (error) {
    deps.log.warn('paypal order create failed', { license_id: store.license.id, transaction_id: tx.id, error: (error as Error).message })
    await markFailed(deps, store.license.id, tx.id, 'PayPal order could not be created')
    throw new Unavailable('PayPal could not start the payment; nothing was charged. Please try again in a moment.')
  }
}
