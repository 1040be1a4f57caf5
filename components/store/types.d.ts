// Shapes of the public store API as the storefront pages use them (types only: no runtime code here,
// so Nuxt's component scan ignores this file).

export interface PublicItem {
  id: string
  category_id: string | null
  name: string
  description: string
  price_cents: number
  currency: string
  image_url: string | null
  purchase_limit: number | null
  stock: number | null
  in_stock: boolean
}

export interface PublicStore {
  store: { name: string, description: string, currency: string, subdomain: string }
  categories: Array<{ id: string, name: string, description: string, sort_order: number }>
}

export interface PublicTransaction {
  transaction_id: string
  status: string
  item_name: string
  player_name: string
  quantity: number
  amount_cents: number
  currency: string
}
