import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

// The only module that touches node:crypto: tokens, lookup hashes, sealing and password hashing.

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number, r: number, p: number, maxmem: number }) => Promise<Buffer>

/** Random URL-safe token with `bytes` of entropy (default 24 bytes = 192 bits). */
export function randomToken(bytes = 24): string {
  if (bytes < 16) throw new Error('tokens carry at least 128 bits')
  return randomBytes(bytes).toString('base64url')
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** Random Crockford base32 string of `length` characters (5 bits each). */
export function randomBase32(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += CROCKFORD[randomInt(32)]
  return out
}

export function sha256Hex(value: string | Uint8Array): string {
  const hash = createHash('sha256')
  return (typeof value === 'string' ? hash.update(value, 'utf8') : hash.update(value)).digest('hex')
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8')
  const bb = Buffer.from(b, 'utf8')
  if (ab.length !== bb.length) {
    // Still spend comparable time so length differences are not observable.
    timingSafeEqual(ab, ab)
    return false
  }
  return timingSafeEqual(ab, bb)
}

/** Derives a purpose-bound 32-byte key from APP_SECRET (HKDF-SHA256). */
export function deriveKey(appSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(appSecret, 'utf8'), Buffer.alloc(0), `cairn:${purpose}`, 32))
}

const SEAL_VERSION = 'v1'

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url; `aad` binds the value to its owner. */
export function seal(key: Buffer, plaintext: string, aad = ''): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [SEAL_VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.')
}

export function open(key: Buffer, sealed: string, aad = ''): string {
  const [version, iv, tag, ciphertext] = sealed.split('.')
  if (version !== SEAL_VERSION || !iv || !tag || ciphertext === undefined) throw new Error('malformed sealed value')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(aad, 'utf8'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 }

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scryptAsync(password.normalize('NFKC'), salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 128 * SCRYPT.N * SCRYPT.r * 2 })
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const N = Number(n)
  const R = Number(r)
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: Number(p), maxmem: 128 * N * R * 2 })
  return timingSafeEqual(actual, expected)
}

/** A hash computed against a fixed dummy so unknown emails cost the same time as wrong passwords. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomToken())
  return dummyHash
}
