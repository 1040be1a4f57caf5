import { PURCHASES_PER_IP } from '../../../shared/contracts/limits'
import { TokenBucketLimiter } from '../../platform/rate-limit'

/**
 * Purchases per client IP (per replica). Generous on purpose: many players share one address
 * (CGNAT, LAN parties), and the real guards against hoarding are the per-player limit, stock
 * reservation and the pending expiry; this only stops floods.
 */
export const purchaseLimiter = new TokenBucketLimiter(PURCHASES_PER_IP.perSecond, PURCHASES_PER_IP.burst)
