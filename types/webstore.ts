// Wire shapes of the owner webstore API (API.md), shared by the server presenters and the panel UI.

export const STORE_CURRENCY_CODES = ['USD', 'EUR', 'GBP'] as const
export type Currency = typeof STORE_CURRENCY_CODES[number]

export type PaypalModeName = 'sandbox' | 'live'

export const TRANSACTION_STATUS_NAMES = ['pending', 'paid', 'delivered', 'failed', 'refunded', 'reversed', 'expired'] as const
export type TransactionStatusName = typeof TRANSACTION_STATUS_NAMES[number]

/** Requirements `enabled: true` checks, in the order `data.missing` lists them. */
export const ENABLE_REQUIREMENTS = ['name', 'paypal_client_id', 'paypal_client_secret', 'subscription'] as const
export type EnableRequirement = typeof ENABLE_REQUIREMENTS[number]

/** GET/PUT /api/webstore/config → `{ config: StoreConfig | null }`. The PayPal secret is never sent. */
export interface StoreConfig {
  name: string
  description: string
  currency: Currency
  paypal_client_id: string
  paypal_secret_set: boolean
  paypal_mode: PaypalModeName
  paypal_webhook_id: string | null
  enabled: boolean
  subdomain: string
  store_url: string
  updated_at: string
}

/** PUT /api/webstore/config body. Omitted `paypal_client_secret` keeps the stored one; `null` or `""` clears it. */
export interface StoreConfigInput {
  name: string
  description?: string
  currency: Currency
  paypal_client_id?: string
  paypal_client_secret?: string | null
  paypal_mode: PaypalModeName
  paypal_webhook_id?: string | null
  enabled: boolean
}

export interface StoreCategory {
  id: string
  name: string
  description: string
  sort_order: number
  created_at: string
  updated_at: string
}

export interface StoreCommandView {
  command: string
  require_online: boolean
}

export interface StoreItem {
  id: string
  category_id: string
  name: string
  description: string
  price_cents: number
  image_url: string | null
  commands: StoreCommandView[]
  purchase_limit: number | null
  stock: number | null
  enabled: boolean
  sort_order: number
}

export type StoreItemInput = Omit<StoreItem, 'id'>

export interface StoreTransaction {
  id: string
  item_id: string
  item_name: string
  player_name: string
  player_uuid: string | null
  quantity: number
  amount_cents: number
  currency: Currency
  status: TransactionStatusName
  paypal_order_id: string | null
  created_at: string
  paid_at: string | null
  delivered_at: string | null
}

export interface TransactionPage {
  transactions: StoreTransaction[]
  next_cursor: string | null
}
