import type { StoreCategory, StoreConfig, StoreItem } from '#shared/contracts/webstore'

// The API objects the component tests start from, typed by the contracts: a category, an item in it,
// and a store's settings. A test takes a variant with `{ ...sample, field }` or the builders' changes.

export const sampleCategory: StoreCategory = { id: '3f0c1a52-7d5e-4d0c-9d3b-1b2f4c6a8e01', name: 'Ranks', description: '', sort_order: 0, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z' }

/** "VIP rank" in `sampleCategory`: 4.99, no commands, no limits, on sale. */
export function sampleItem(changes: Partial<StoreItem> = {}): StoreItem {
  return {
    id: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    category_id: sampleCategory.id,
    name: 'VIP rank',
    description: '',
    price_cents: 499,
    image_url: null,
    commands: [],
    purchase_limit: null,
    stock: null,
    enabled: true,
    sort_order: 0,
    revoke_commands: [],
    duration_days: null,
    ...changes,
  }
}

/**
 * A store whose owner has saved only the basics (name, currency, PayPal client id): closed, in
 * sandbox, no secret and none of the optional storefront settings. One line per section of the form.
 */
export function sampleStoreConfig(changes: Partial<StoreConfig> = {}): StoreConfig {
  return {
    name: 'Stone Age Store', description: 'Ranks and kits', currency: 'EUR', enabled: false,
    paypal_client_id: 'AZ-client', paypal_secret_set: false, paypal_mode: 'sandbox', paypal_webhook_id: null,
    monthly_goal_cents: null, show_recent_purchases: false, discord_webhook_url: null,
    subdomain: 'stone', store_url: 'http://stone.store.test/', updated_at: '2026-11-02T10:00:00.000Z',
    ...changes,
  }
}
