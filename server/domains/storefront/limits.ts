import { TokenBucketLimiter } from '../../platform/rate-limit'

/**
 * Purchases per client IP (per replica): a burst of 120, then two a second. Generous on purpose:
 * many players share one address (CGNAT, LAN parties), and the real guards against hoarding are
 * the per-player limit, stock reservation and the 30-minute expiry; this only stops floods.
 */
export const purchaseLimiter = new TokenBucketLimiter(2, 120)
