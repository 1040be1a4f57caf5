import { systemClock } from './clock'
import type { RateLimit } from '../../shared/contracts/limits'

/**
 * In-process token buckets keyed by string. Per replica: with N replicas the effective
 * limit is N times higher, which is acceptable for abuse damping (documented in operations.md).
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number, updated: number }>()

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    /** Milliseconds; a test passes its own. */
    private readonly now: () => number = () => systemClock.now().getTime(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const bucket = this.refill(key)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return (1 - bucket.tokens) / this.ratePerSecond
  }

  /** Seconds until a token is available without taking one. */
  peek(key: string): number {
    const bucket = this.refill(key)
    return bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / this.ratePerSecond
  }

  reset(key: string): void {
    this.buckets.delete(key)
  }

  private refill(key: string) {
    const t = this.now()
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = { tokens: this.burst, updated: t }
      this.buckets.set(key, bucket)
      if (this.buckets.size > 50_000) this.prune(t)
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((t - bucket.updated) / 1000) * this.ratePerSecond)
    bucket.updated = t
    return bucket
  }

  private prune(t: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((t - bucket.updated) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(key)
    }
  }
}

/**
 * Two buckets used together, one per account (an email, known or not) and one per client IP
 * (larger: addresses are shared behind NAT). Sign-in failures and reset requests use one each.
 */
export class AccountAndIpLimiter {
  private readonly byAccount: TokenBucketLimiter
  private readonly byIp: TokenBucketLimiter
  /** `now` in milliseconds: the system clock unless a test pins it. */
  constructor(account: RateLimit, ip: RateLimit, now?: () => number) {
    this.byAccount = new TokenBucketLimiter(account.perSecond, account.burst, now)
    this.byIp = new TokenBucketLimiter(ip.perSecond, ip.burst, now)
  }

  /** Seconds until both buckets have a token (0 = now), taking none. */
  peek(account: string, ip: string): number {
    return Math.max(this.byAccount.peek(account), this.byIp.peek(ip))
  }

  /** Takes a token from each; returns the longer wait when either was empty (0 = allowed). */
  take(account: string, ip: string): number {
    return Math.max(this.byIp.take(ip), this.byAccount.take(account))
  }

  /** Forgets the account's bucket (a success clears its failures). */
  reset(account: string): void {
    this.byAccount.reset(account)
  }
}
