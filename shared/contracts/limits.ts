// Every number the API promises: the code enforces these constants, the OpenAPI text is built from
// them, and tests/unit/documented-limits.test.ts fails when docs/*.md quote a different one.

/** A token bucket: `burst` requests at once, then one more every `1 / perSecond` seconds. */
export interface RateLimit {
  burst: number
  perSecond: number
}

// Rate limits (per replica, in memory; see docs/operations.md).
/** Storefront purchases per client IP: generous, many players share an address (CGNAT, LAN parties). */
export const PURCHASES_PER_IP: RateLimit = { burst: 120, perSecond: 2 }
/** Failed sign-ins per email: 5, then one more every 3 minutes. */
export const SIGN_IN_FAILURES_PER_EMAIL: RateLimit = { burst: 5, perSecond: 1 / 180 }
/** Failed sign-ins per client IP: 100, then one more every 10 s (addresses are shared behind NAT). */
export const SIGN_IN_FAILURES_PER_IP: RateLimit = { burst: 100, perSecond: 1 / 10 }
/** Host API calls per host. */
export const HOST_API_PER_HOST: RateLimit = { burst: 100, perSecond: 20 }
/**
 * POST /api/agent/nats-credentials per license: an agent asks once per connect and renews once per
 * NATS_AGENT_TTL_S, so 10 at once (restarts, reconnect storms), then one more a minute, is plenty.
 */
export const AGENT_NATS_CREDENTIALS_PER_LICENSE: RateLimit = { burst: 10, perSecond: 1 / 60 }

// Request bodies.
/** The largest JSON body any endpoint accepts (413 above). */
export const MAX_BODY_BYTES = 1024 * 1024
/** Deeper JSON is refused with a 400; no endpoint takes anything close to this. */
export const MAX_JSON_DEPTH = 64

// Lists.
export const LIST_LIMIT_DEFAULT = 50
export const LIST_LIMIT_MAX = 500
export const CURSOR_MAX_LENGTH = 200

// Accounts and sessions.
export const EMAIL_MAX_LENGTH = 254
export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 1024
export const CLAIM_TOKEN_MIN_LENGTH = 16
export const CLAIM_TOKEN_MAX_LENGTH = 128
export const SESSION_TTL_SECONDS = 12 * 60 * 60
/** A `panel_url` claim link lives this long (single use). */
export const CLAIM_TOKEN_TTL_DAYS = 30

// Account security.
/** A `/reset/<token>` link lives this long (single use). */
export const PASSWORD_RESET_TTL_MINUTES = 60
/** Reset requests per email address (known or not): 3, then one more every 10 min. */
export const PASSWORD_RESET_REQUESTS_PER_EMAIL: RateLimit = { burst: 3, perSecond: 1 / 600 }
/** Reset requests per client IP: 20, then one more every 30 s. */
export const PASSWORD_RESET_REQUESTS_PER_IP: RateLimit = { burst: 20, perSecond: 1 / 30 }
/** The `challenge` of a sign-in waiting for its second factor lives this long. */
export const LOGIN_CHALLENGE_TTL_SECONDS = 5 * 60
export const TOTP_DIGITS = 6
export const TOTP_PERIOD_SECONDS = 30
export const RECOVERY_CODE_COUNT = 10
/** A session's `last_seen_at` is written at most this often. */
export const SESSION_LAST_SEEN_RESOLUTION_SECONDS = 60
export const USER_AGENT_MAX_LENGTH = 512
// Mail outbox.
export const MAIL_POLL_SECONDS = 2
/** A mail the SMTP server refused is tried again after this, doubling per attempt... */
export const MAIL_RETRY_FIRST_SECONDS = 30
/** ...up to this interval, */
export const MAIL_RETRY_MAX_MINUTES = 60
/** ...and given up (logged as an error) after this many attempts. */
export const MAIL_MAX_ATTEMPTS = 10

// Host API.
export const BULK_PROVISION_MAX = 100
export const SERVER_ID_MAX_LENGTH = 128
export const HOSTNAME_MAX_LENGTH = 253
export const HOST_NAME_MAX_LENGTH = 120
export const MAX_RATE_CENTS = 100_000_000
export const DEFAULT_RATE_CENTS = 600

// Store configuration.
export const STORE_NAME_MAX_LENGTH = 64
export const STORE_DESCRIPTION_MAX_LENGTH = 2000
export const PAYPAL_CLIENT_ID_MAX_LENGTH = 128
export const PAYPAL_CLIENT_SECRET_MAX_LENGTH = 256
export const PAYPAL_WEBHOOK_ID_MAX_LENGTH = 64

// Catalog.
export const CATEGORY_NAME_MAX_LENGTH = 64
export const CATEGORY_DESCRIPTION_MAX_LENGTH = 500
export const ITEM_NAME_MAX_LENGTH = 80
export const ITEM_DESCRIPTION_MAX_LENGTH = 5000
export const MAX_PRICE_CENTS = 1_000_000
export const IMAGE_URL_MAX_LENGTH = 2048
export const COMMAND_MAX_LENGTH = 500
export const MAX_COMMANDS = 20
export const PURCHASE_LIMIT_MAX = 1_000_000
export const STOCK_MAX = 1_000_000_000

// Orders.
export const PLAYER_FILTER_MAX_LENGTH = 64
export const PURCHASE_QUANTITY_MAX = 64

// Storefront commerce.
/** Distinct items in one basket. */
export const BASKET_LINES_MAX = 20
export const COUPON_CODE_MIN_LENGTH = 3
export const COUPON_CODE_MAX_LENGTH = 32
export const SALE_NAME_MAX_LENGTH = 64
export const SALE_PERCENT_MAX = 90
/** item_ids / category_ids of one coupon or sale. */
export const SCOPE_IDS_MAX = 200
/** Uploaded item images: bytes accepted, and the widths served (never upscaled). */
export const ITEM_IMAGE_MAX_BYTES = 2 * 1024 * 1024
export const ITEM_IMAGE_WIDTHS = [320, 640, 1024] as const
export const RECENT_PURCHASES_MAX = 5
export const MONTHLY_GOAL_MIN_CENTS = 100
export const MAX_GOAL_CENTS = 1_000_000_000
/** A pending purchase gives its stock back after this long. */
export const PENDING_PURCHASE_TTL_MINUTES = 30

// Owner operations.
export const STATS_DAYS_DEFAULT = 30
export const STATS_DAYS_MAX = 365
export const STATS_TOP_ITEMS = 5
/** An item's `duration_days` (null = permanent). */
export const DURATION_DAYS_MAX = 3650
export const GRANT_NOTE_MAX_LENGTH = 500
export const DISCORD_WEBHOOK_URL_MAX_LENGTH = 512
/** Ended timed purchases are swept this often, on every replica. */
export const ENDED_SWEEP_SECONDS = 60
/** A failed Discord announcement is retried after this, doubling per attempt, at most this many times. */
export const DISCORD_RETRY_FIRST_SECONDS = 10
export const DISCORD_MAX_ATTEMPTS = 8
/** How often each replica looks for announcements to post. */
export const DISCORD_RELAY_POLL_SECONDS = 5

// Companion agent.
/** Messages per GET /api/agent/queue answer. */
export const AGENT_QUEUE_BATCH = 100
export const ACKS_PER_CALL_MAX = 500
export const ACK_DETAIL_MAX_LENGTH = 2000

// Modules.
export const MODULE_ID_MAX_LENGTH = 64
export const MODULE_VERSION_MAX_LENGTH = 32

// Timings the docs promise.
/** /api/health answers 503 when the database does not answer within this. */
export const HEALTH_DB_TIMEOUT_MS = 2000
/** Pending purchases past their expiry are swept this often, on every replica. */
export const PENDING_SWEEP_SECONDS = 30
/** An unacknowledged agent message is sent again after this, doubling per attempt... */
export const AGENT_RESEND_FIRST_SECONDS = 30
/** ...up to this interval. */
export const AGENT_RESEND_MAX_MINUTES = 30
/** JetStream drops a re-publish with the same Nats-Msg-Id within this window. */
export const NATS_DUPLICATE_WINDOW_MINUTES = 2
/**
 * Messages CAIRN_AGENT keeps per subject (one license's deliveries, or its module installs). Over
 * it JetStream refuses the publish (discard new, per subject) instead of dropping older messages,
 * so an unacknowledged message is never silently lost: the outbox row stays queued and is
 * offered again later (and over HTTP meanwhile).
 */
export const AGENT_STREAM_MAX_MSGS_PER_SUBJECT = 10_000
/** Default lifetime of an agent's NATS user JWT (NATS_AGENT_TTL_S). */
export const NATS_AGENT_TTL_DEFAULT_SECONDS = 3600

/** "5, then one more every 3 min" / "a burst of 120, then 2 per second": the wording docs and OpenAPI use. */
export function describeRate(limit: RateLimit): string {
  if (limit.perSecond >= 1) return `a burst of ${limit.burst}, then ${limit.perSecond} per second`
  const seconds = Math.round(1 / limit.perSecond)
  const every = seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`
  return `${limit.burst}, then one more every ${every}`
}

/** `1048576` → `1 MB` (the body limit as the docs write it). */
export function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`
}

/** GET /api/agent/queue?wait= holds a request at most this long (seconds). */
export const AGENT_QUEUE_WAIT_MAX_SECONDS = 30
/** The shipped agent's heartbeat period (seconds); an agent is shown online for 2.5 periods after one. */
export const AGENT_HEARTBEAT_SECONDS = 60
