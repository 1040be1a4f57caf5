// Wire shapes of the owner webstore API (API.md), shared by the server presenters and the panel UI.

export const STORE_CURRENCY_CODES = ['USD', 'EUR', 'GBP'] as const
export type Currency = typeof STORE_CURRENCY_CODES[number]

export type PaypalModeName = 'sandbox' | 'live'

export const TRANSACTION_STATUS_NAMES = ['pending', 'paid', 'delivered', 'failed', 'refunded', 'reversed', 'expired'] as const
export type TransactionStatusName = typeof TRANSACTION_STATUS_NAMES[number]

/** The placeholders a command may use, with what they become at delivery (cheat-sheet text). */
export const COMMAND_PLACEHOLDERS = [
  { name: 'player', meaning: 'the buyer\'s Minecraft name' },
  { name: 'uuid', meaning: 'the buyer\'s UUID (asks the buyer for it at checkout)' },
  { name: 'quantity', meaning: 'how many they bought' },
  { name: 'transaction_id', meaning: 'the order id' },
  { name: 'item_id', meaning: 'this item\'s id' },
  { name: 'price', meaning: 'the unit price, e.g. 4.99' },
  { name: 'currency', meaning: 'the store currency, e.g. USD' },
] as const
export type CommandPlaceholder = typeof COMMAND_PLACEHOLDERS[number]['name']

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

/** A command row while it is edited in the panel (`key` keeps rows stable when reordered). */
export interface CommandDraft extends StoreCommandView {
  key: number
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

/** The 400 body of the owner API: `{ statusCode, message, data: { issues, missing? } }`. */
export interface ApiErrorData {
  issues?: { path: string, message: string }[]
  missing?: EnableRequirement[]
}

function errorData(error: unknown): ApiErrorData | undefined {
  const data = (error as { data?: { data?: unknown } } | null)?.data?.data
  return data && typeof data === 'object' ? data as ApiErrorData : undefined
}

/** `data.issues` of a failed call as `{ path: message }` (first message per path). */
export function apiIssues(error: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of errorData(error)?.issues ?? []) out[issue.path] ??= issue.message
  return out
}

/** `data.missing` of a refused `enabled: true`, or an empty list. */
export function apiMissing(error: unknown): EnableRequirement[] {
  const missing = errorData(error)?.missing
  return Array.isArray(missing) ? missing.filter((m): m is EnableRequirement => (ENABLE_REQUIREMENTS as readonly string[]).includes(m)) : []
}

export function apiStatus(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown, status?: unknown } | null
  const status = e?.statusCode ?? e?.status
  return typeof status === 'number' ? status : undefined
}
