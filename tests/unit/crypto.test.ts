import { describe, expect, it } from 'vitest'
import { constantTimeEqual, deriveKey, hashPassword, open, randomBase32, randomToken, seal, sha256Hex, verifyPassword } from '../../server/platform/crypto'

describe('crypto', () => {
  it('random tokens carry at least 128 bits and never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()))
    expect(tokens.size).toBe(1000)
    for (const t of tokens) expect(Buffer.from(t, 'base64url').length).toBeGreaterThanOrEqual(16)
    expect(() => randomToken(8)).toThrow()
  })

  it('base32 uses only Crockford characters', () => {
    expect(randomBase32(200)).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]+$/)
  })

  it('sha256Hex is the standard digest', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('constantTimeEqual compares exactly', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true)
    expect(constantTimeEqual('secret', 'secreT')).toBe(false)
    expect(constantTimeEqual('secret', 'secret1')).toBe(false)
  })

  it('seal/open round-trips and rejects tampering, wrong key and wrong owner', () => {
    const key = deriveKey('x'.repeat(40), 'seal')
    const sealed = seal(key, 'paypal-secret', 'license:1')
    expect(sealed).not.toContain('paypal-secret')
    expect(open(key, sealed, 'license:1')).toBe('paypal-secret')
    expect(seal(key, 'paypal-secret', 'license:1')).not.toBe(sealed) // fresh IV each time
    expect(() => open(key, sealed, 'license:2')).toThrow()
    expect(() => open(deriveKey('y'.repeat(40), 'seal'), sealed, 'license:1')).toThrow()
    const parts = sealed.split('.')
    const body = Buffer.from(parts[3]!, 'base64url')
    body[0] = body[0]! ^ 1
    expect(() => open(key, [parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'license:1')).toThrow()
  })

  it('derived keys differ per purpose', () => {
    expect(deriveKey('s'.repeat(40), 'a').equals(deriveKey('s'.repeat(40), 'b'))).toBe(false)
  })

  it('scrypt hashes verify only the right password', async () => {
    const hash = await hashPassword('correct horse battery')
    expect(hash).toMatch(/^scrypt\$/)
    expect(hash).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery', hash)).toBe(true)
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false)
    expect(await verifyPassword('x', 'garbage')).toBe(false)
  })
})
