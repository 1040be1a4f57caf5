import { describe, expect, it } from 'vitest'
import { TokenBucketLimiter } from '../../server/platform/rate-limit'
import { LoginThrottle } from '../../server/domains/auth/login'

describe('token bucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0
    const limiter = new TokenBucketLimiter(2, 3, () => now)
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 0])
    expect(limiter.take('k')).toBeCloseTo(0.5)
    now += 500
    expect(limiter.take('k')).toBe(0)
    expect(limiter.take('other')).toBe(0)
  })

  it('login throttle blocks an email after five failures and forgets on success', () => {
    let now = 0
    const throttle = new LoginThrottle(() => now)
    for (let i = 0; i < 5; i++) {
      throttle.check('a@x', `ip${i}`)
      throttle.failed('a@x', `ip${i}`)
    }
    expect(() => throttle.check('a@x', 'ip9')).toThrow(expect.objectContaining({ statusCode: 429 }))
    expect(() => throttle.check('b@x', 'ip9')).not.toThrow()
    now += 180_000
    expect(() => throttle.check('a@x', 'ip9')).not.toThrow()
    throttle.succeeded('a@x')
  })
})
