import type { Host } from '../../db/schema'
import { constantTimeEqual, sha256Hex } from '../../platform/crypto'
import type { Deps } from '../../platform/deps'
import { Forbidden, RateLimited, Unauthorized } from '../../platform/errors'
import { findHostByKeyHash, HOST_KEY_RE, touchHostLastUsed } from './hosts'
import { TokenBucketLimiter } from '../../platform/rate-limit'
import { HOST_API_PER_HOST } from '../../../shared/contracts/limits'

/** `last_used_at` is informational: one write per host per minute is plenty. */
const TOUCH_INTERVAL_MS = 60_000

/** The key from `Authorization: Bearer cairn_host_...`, or a 401 saying what is wrong. */
export function parseHostBearer(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') throw new Unauthorized('Missing Authorization: Bearer <host API key>')
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  if (!match?.[1] || !HOST_KEY_RE.test(match[1])) throw new Unauthorized('Malformed host API key')
  return match[1]
}

/**
 * Authenticates host API calls: SHA-256 lookup of the key (the plaintext is never stored),
 * host status, a per-host token bucket, and a throttled `last_used_at`.
 */
export class HostGate {
  private readonly limiter: TokenBucketLimiter
  private readonly lastTouched = new Map<string, number>()

  constructor(options: { ratePerSecond?: number, burst?: number, now?: () => number } = {}) {
    this.limiter = new TokenBucketLimiter(options.ratePerSecond ?? HOST_API_PER_HOST.perSecond, options.burst ?? HOST_API_PER_HOST.burst, options.now)
  }

  async authenticate(deps: Deps, authorization: string | undefined): Promise<Host> {
    const key = parseHostBearer(authorization)
    const hash = sha256Hex(key)
    const host = await findHostByKeyHash(deps, hash)
    // The index lookup finds the row; the explicit comparison keeps the check itself constant-time.
    if (!host || !constantTimeEqual(host.apiKeyHash, hash)) throw new Unauthorized('Unknown or revoked host API key')
    if (host.status !== 'active') throw new Forbidden('This host account is suspended')
    const wait = this.limiter.take(host.id)
    if (wait > 0) throw new RateLimited(wait, 'Host API rate limit exceeded, slow down')
    await this.touch(deps, host.id)
    return host
  }

  private async touch(deps: Deps, hostId: string): Promise<void> {
    const now = deps.clock.now()
    const last = this.lastTouched.get(hostId)
    if (last !== undefined && now.getTime() - last < TOUCH_INTERVAL_MS) return
    this.lastTouched.set(hostId, now.getTime())
    if (this.lastTouched.size > 10_000) this.lastTouched.clear()
    await touchHostLastUsed(deps, hostId, now)
  }
}
