import { describe, expect, it } from 'vitest'
import { clientAddress, isTrusted, parseTrustProxy } from '../../server/http/trust-proxy'

describe('trust proxy', () => {
  it('ignores X-Forwarded-For unless the peer is trusted', () => {
    expect(clientAddress(undefined, '127.0.0.1', '1.2.3.4')).toBe('127.0.0.1')
    expect(clientAddress(parseTrustProxy([]), '127.0.0.1', '1.2.3.4')).toBe('127.0.0.1')
    expect(clientAddress(parseTrustProxy(['10.0.0.0/8']), '203.0.113.9', '1.2.3.4')).toBe('203.0.113.9')
  })

  it('walks forwarded hops from the right through trusted proxies only', () => {
    const list = parseTrustProxy(['loopback', '10.0.0.0/8'])
    expect(clientAddress(list, '127.0.0.1', '198.51.100.7')).toBe('198.51.100.7')
    expect(clientAddress(list, '::ffff:127.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.2.3')).toBe('198.51.100.7')
    expect(clientAddress(list, '127.0.0.1', 'garbage')).toBe('127.0.0.1')
  })

  it('understands loopback for both families and rejects junk', () => {
    const list = parseTrustProxy(['loopback'])
    expect(isTrusted(list, '::1')).toBe(true)
    expect(isTrusted(list, '127.0.0.5')).toBe(true)
    expect(isTrusted(list, '192.168.1.1')).toBe(false)
    expect(() => parseTrustProxy(['not-an-ip'])).toThrow(/TRUST_PROXY/)
  })
})
