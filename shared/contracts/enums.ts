// Every closed set of values the API, the database and the panel share, defined once. No zod here:
// the Drizzle schema and the Vue side import these lists without pulling in any validation code.

export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const

/** `demo`: the seeded demo store's own approval page, no PayPal (never in production). */
export const PAYPAL_MODES = ['sandbox', 'live', 'demo'] as const

export const LICENSE_STATUSES = ['active', 'suspended', 'revoked'] as const

export const HOST_STATUSES = ['active', 'suspended'] as const

/** A billing month still running is `open` (computed live); a past one is `closed` (frozen). */
export const BILLING_MONTH_STATUSES = ['open', 'closed'] as const

/** A coupon takes a percentage off its eligible lines, or a fixed amount spread over them. */
export const COUPON_KINDS = ['percent', 'amount'] as const

/** Why a basket's coupon does not apply (quote: `applied: false`; checkout: 409 `data.reason`). */
export const COUPON_REASONS = ['unknown', 'disabled', 'not_started', 'expired', 'used_up', 'player_limit', 'min_subtotal', 'not_eligible'] as const

export const TRANSACTION_STATUSES = ['pending', 'paid', 'delivered', 'failed', 'refunded', 'reversed', 'expired'] as const
/** An order that was paid and not given back: its commands went (or go) out, it counts in revenue and the widgets, it can be refunded or resent. */
export const PAID_STATUSES = ['paid', 'delivered', 'failed'] as const satisfies readonly (typeof TRANSACTION_STATUSES[number])[]

/** PayPal's own subscription states, stored verbatim so webhooks map 1:1. Only ACTIVE opens the store. */
export const SUBSCRIPTION_STATUSES = ['APPROVAL_PENDING', 'APPROVED', 'ACTIVE', 'SUSPENDED', 'CANCELLED', 'EXPIRED'] as const

/**
 * queued = written with its outbox row; sent = the outbox row went out (derived from the outbox
 * when presented); installed / failed = the agent's ack.
 */
export const MODULE_INSTALL_STATUSES = ['queued', 'sent', 'installed', 'failed'] as const

/** What an outbox row carries to the agent: a purchase delivery or a module install. */
export const OUTBOX_KINDS = ['delivery', 'module_install'] as const

/** pending = not yet on the bus; sent = published, waiting for the agent's ack; done/failed = acked. */
export const OUTBOX_STATUSES = ['pending', 'sent', 'done', 'failed'] as const

export const ACK_STATUSES = ['done', 'failed'] as const

export const ACK_RESULTS = ['applied', 'duplicate', 'unknown'] as const

/** Why an agent delivery exists: the sale (or a grant), an owner's resend, or taking it back. */
export const DELIVERY_REASONS = ['purchase', 'resend', 'revoke', 'expiry', 'manual'] as const

/** A checkout paid by a player, or an owner's free grant (never revenue). */
export const TRANSACTION_SOURCES = ['purchase', 'manual'] as const

/** Owner actions the audit log records (`GET /api/webstore/audit`). */
export const AUDIT_ACTIONS = [
  'config.update', 'item.create', 'item.update', 'item.delete', 'category.create', 'category.update', 'category.delete',
  'coupon.create', 'coupon.update', 'coupon.delete', 'sale.create', 'sale.update', 'sale.delete',
  'transaction.resend', 'transaction.refund', 'grant.create',
] as const

/** A Discord announcement in the outbox: waiting (or retrying), sent, or given up. */
export const DISCORD_OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const

/** `?format=` of the endpoints that can answer CSV. */
export const EXPORT_FORMATS = ['json', 'csv'] as const

export const NATS_HEALTH = ['ok', 'disabled', 'down'] as const

/** What a store-owner PayPal webhook did: a settle outcome, a replayed event, or one not for this store. */
export const STORE_WEBHOOK_OUTCOMES = ['paid', 'failed', 'refunded', 'reversed', 'unchanged', 'duplicate', 'ignored'] as const

/** What the platform PayPal webhook did to a subscription (or why it did nothing). */
export const SUBSCRIPTION_WEBHOOK_OUTCOMES = ['changed', 'unchanged', 'duplicate_cancelled', 'unknown', 'duplicate', 'ignored'] as const

/** Requirements `enabled: true` checks, in the order `data.missing` lists them. */
export const ENABLE_REQUIREMENTS = ['name', 'paypal_client_id', 'paypal_client_secret', 'subscription'] as const

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

// The value type of each list.
export type Currency = typeof CURRENCIES[number]
export type PaypalMode = typeof PAYPAL_MODES[number]
export type LicenseStatus = typeof LICENSE_STATUSES[number]
export type HostStatus = typeof HOST_STATUSES[number]
export type BillingMonthStatus = typeof BILLING_MONTH_STATUSES[number]
export type TransactionStatus = typeof TRANSACTION_STATUSES[number]
export type SubscriptionStatus = typeof SUBSCRIPTION_STATUSES[number]
export type ModuleInstallStatus = typeof MODULE_INSTALL_STATUSES[number]
export type OutboxKind = typeof OUTBOX_KINDS[number]
export type OutboxStatus = typeof OUTBOX_STATUSES[number]
export type AckStatus = typeof ACK_STATUSES[number]
export type AckResult = typeof ACK_RESULTS[number]
export type DeliveryReason = typeof DELIVERY_REASONS[number]
export type TransactionSource = typeof TRANSACTION_SOURCES[number]
export type AuditAction = typeof AUDIT_ACTIONS[number]
export type DiscordOutboxStatus = typeof DISCORD_OUTBOX_STATUSES[number]
export type CouponKind = typeof COUPON_KINDS[number]
export type CouponReason = typeof COUPON_REASONS[number]
export type ExportFormat = typeof EXPORT_FORMATS[number]
export type NatsHealth = typeof NATS_HEALTH[number]
export type StoreWebhookOutcome = typeof STORE_WEBHOOK_OUTCOMES[number]
export type SubscriptionWebhookOutcome = typeof SUBSCRIPTION_WEBHOOK_OUTCOMES[number]
export type EnableRequirement = typeof ENABLE_REQUIREMENTS[number]
export type CommandPlaceholder = typeof COMMAND_PLACEHOLDERS[number]['name']
