import { TokenBucketLimiter } from '../rate-limit'

/** Purchases per client IP: a burst of 10, then one every 6 seconds (per replica). */
export const purchaseLimiter = new TokenBucketLimiter(1 / 6, 10)
