import type { PurchaseInput, PurchaseResult } from '../../../shared/contracts/storefront'
import type { Deps } from '../../platform/deps'
import { createCheckout, type StorefrontUrls } from './checkout'
import type { OpenStore } from './storefront'

// `POST /purchase`: a one-line basket, with the answer it always had.

export type { StorefrontUrls } from './checkout'

export async function createPurchase(deps: Deps, store: OpenStore, input: PurchaseInput, urls: StorefrontUrls): Promise<PurchaseResult> {
  const basket = { player_name: input.player_name, player_uuid: input.player_uuid, lines: [{ item_id: input.item_id, quantity: input.quantity }], coupon: null }
  const result = await createCheckout(deps, store, basket, urls, { unknownItem: 'not_found' })
  // Prices are ≥ 1 cent and a purchase has no coupon, so it always goes through PayPal.
  return { transaction_id: result.transaction_id, status: 'pending', approval_url: result.approval_url ?? '', amount_cents: result.amount_cents, currency: result.currency }
}
