import { and, eq } from 'drizzle-orm'
import { deliveries, storeItems, storeTransactions, type StoreItemRow } from '../../server/db/schema'
import { serverDb } from './fixtures'
import { call, fakeIp, type ApiResponse } from './http'
import { createOpenStore, createStoreItem, type StoreFixture } from './paypal'

// The storefront as buyers use it, on the server under test: open stores with items, purchases,
// and the rows they leave in the server's database.

export type ItemValues = NonNullable<Parameters<typeof createStoreItem>[2]>

/** An open store (subscribed, PayPal app at the fake) with `items`, created in that order. */
export async function openStoreWith(tag: string, items: ItemValues[] = [{}]): Promise<{ shop: StoreFixture, items: StoreItemRow[] }> {
  const { db } = await serverDb()
  const shop = await createOpenStore(db, { tag })
  const rows: StoreItemRow[] = []
  for (const values of items) rows.push(await createStoreItem(db, shop, values))
  return { shop, items: rows }
}

export interface PurchaseReply {
  transaction_id: string
  status: string
  approval_url?: string
  amount_cents?: number
  currency?: string
  statusCode?: number
  message?: string
  data?: { issues?: Array<{ path: string, message: string }> }
}

/** A buyer's POST /purchase, from a client address of its own unless `ip` is given. */
export function purchase<T = PurchaseReply>(subdomain: string, body: unknown, ip = fakeIp()): Promise<ApiResponse<T>> {
  return call<T>(`/api/public-store/${subdomain}/purchase`, { body, headers: { 'x-forwarded-for': ip } })
}

export async function transactionRow(id: string) {
  const { db } = await serverDb()
  const [tx] = await db.select().from(storeTransactions).where(eq(storeTransactions.id, id))
  if (!tx) throw new Error(`no transaction ${id}`)
  return tx
}

export async function deliveryRowsOf(transactionId: string) {
  const { db } = await serverDb()
  return db.select().from(deliveries).where(and(eq(deliveries.kind, 'delivery'), eq(deliveries.refId, transactionId)))
}

export async function stockOf(itemId: string): Promise<number | null> {
  const { db } = await serverDb()
  const [row] = await db.select({ stock: storeItems.stock }).from(storeItems).where(eq(storeItems.id, itemId))
  if (!row) throw new Error(`no item ${itemId}`)
  return row.stock
}
