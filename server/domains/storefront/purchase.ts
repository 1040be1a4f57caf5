import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db'
import { storeItems, storeTransactions } from '../../db/schema'
import type { AppKeys } from '../../platform/app-secret'
import { Conflict, InvalidInput, NotFound, Unavailable } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import { createPayPalOrder } from '../../integrations/paypal/orders'
import { usedPlaceholders } from '../../../shared/rules/placeholders'
import { storeCredentials } from './credentials'
import type { OpenStore } from './storefront'
import { markFailed } from './transitions'

// A player's purchase: validated input, price and limits from the database, stock reserved under
// a row lock, then a PayPal order whose approval URL the player is sent to.

export const PENDING_TTL_MS = 30 * 60 * 1000

/** Minecraft-style names only: any other character is refused, never escaped. */
export const PLAYER_NAME_RE = /^[A-Za-z0-9_]{3,16}$/
const CANONICAL_UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export const purchaseInputSchema = z.object({
  item_id: z.string({ error: 'is required' }).regex(CANONICAL_UUID_RE, 'must be a UUID').transform(s => s.toLowerCase()),
  player_name: z.string({ error: 'is required' }).regex(PLAYER_NAME_RE, 'must be 3-16 characters: letters, digits and underscore only'),
  player_uuid: z.string().regex(CANONICAL_UUID_RE, 'must be a canonical UUID (8-4-4-4-12 hex digits)').transform(s => s.toLowerCase()).nullable().optional(),
  quantity: z.number({ error: 'must be a whole number from 1 to 64' }).int('must be a whole number from 1 to 64').min(1, 'must be at least 1').max(64, 'must be at most 64').default(1),
})
export type PurchaseInput = z.output<typeof purchaseInputSchema>

export interface PurchaseDeps {
  db: Db
  keys: AppKeys
  log: Logger
  now: Date
}

export interface StorefrontUrls {
  /** Where PayPal sends the buyer back: `<storefront>/return?tx=<id>` and `/cancel?tx=<id>`. */
  storefrontBase: string
}

export interface PurchaseResult {
  transaction_id: string
  status: 'pending'
  approval_url: string
  amount_cents: number
  currency: string
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
      currency: store.config.currency,
      status: 'pending',
      paypalMode: store.config.paypalMode,
      stockReserved: item.stock !== null,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + PENDING_TTL_MS),
    }).returning()
    if (!tx) throw new Error('transaction insert returned nothing')
    return tx
  })
}

export async function createPurchase(deps: PurchaseDeps, store: OpenStore, input: PurchaseInput, urls: StorefrontUrls): Promise<PurchaseResult> {
  const credentials = storeCredentials(deps.keys, store.config)
  if (!credentials) throw new Unavailable('This store cannot take payments right now')
  const tx = await reserve(deps.db, store, input, deps.now)
  try {
    const order = await createPayPalOrder(credentials, {
      transactionId: tx.id,
      amountCents: tx.amountCents,
      currency: tx.currency,
      description: `${tx.itemName} x${tx.quantity} for ${tx.playerName}`,
      brandName: store.config.name,
      returnUrl: `${urls.storefrontBase}/return?tx=${tx.id}`,
      cancelUrl: `${urls.storefrontBase}/cancel?tx=${tx.id}`,
    })
    await deps.db.update(storeTransactions).set({ paypalOrderId: order.id, approvalUrl: order.approvalUrl, updatedAt: new Date() })
      .where(and(eq(storeTransactions.id, tx.id), eq(storeTransactions.licenseId, store.license.id)))
    return { transaction_id: tx.id, status: 'pending', approval_url: order.approvalUrl, amount_cents: tx.amountCents, currency: tx.currency }
  }
  catch (error) {
    deps.log.warn('paypal order create failed', { license_id: store.license.id, transaction_id: tx.id, error: (error as Error).message })
    await markFailed(deps.db, store.license.id, tx.id, 'PayPal order could not be created', new Date())
    throw new Unavailable('PayPal could not start the payment; nothing was charged. Please try again in a moment.')
  }
}
