// Shapes of the public store API as the storefront pages use them (types only: no runtime code here,
// so Nuxt's component scan ignores this file).

// The item and store views are the server's own presenter types (type-only: nothing is bundled).
export type { PublicItem, PublicStoreView as PublicStore } from '../../server/domains/storefront/storefront'

export interface PublicTransaction {
  transaction_id: string
  status: string
  item_name: string
  player_name: string
  quantity: number
  amount_cents: number
  currency: string
}
