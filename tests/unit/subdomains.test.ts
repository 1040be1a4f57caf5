import { describe, expect, it } from 'vitest'
import { firstFreeSubdomain, slugifyLabel, subdomainBase, SUBDOMAIN_RE } from '../../shared/rules/subdomain'

describe('subdomains', () => {
  it('derives a DNS label from the hostname', () => {
    expect(subdomainBase('mc.example.net', 'a@b.c')).toBe('mc-example-net')
    expect(subdomainBase('Play.Ünïcode--Server.COM', 'a@b.c')).toBe('play-unicode-server-com')
  })

  it('falls back to the email for IP addresses and empty names', () => {
    expect(subdomainBase('10.0.0.1', 'Steve.Builder@example.com')).toBe('steve-builder')
    expect(subdomainBase('2001:db8::1', 'alex@example.com')).toBe('alex')
    expect(subdomainBase(null, '___@example.com')).toBe('server')
    expect(subdomainBase(null, '1234@example.com')).toBe('server-1234')
  })

  it('never takes a reserved name', () => {
    expect(subdomainBase('www', 'a@b.c')).toBe('www-server')
    expect(subdomainBase(null, 'admin@example.com')).toBe('admin-server')
  })

  it('produces valid labels of at most 63 characters', () => {
    const long = subdomainBase(`${'a'.repeat(100)}.example.com`, 'a@b.c')
    expect(long.length).toBeLessThanOrEqual(55)
    expect(firstFreeSubdomain(long, [long])).toMatch(SUBDOMAIN_RE)
    expect(slugifyLabel('-a--b-')).toBe('a-b')
  })

  it('numbers duplicates from 2', () => {
    expect(firstFreeSubdomain('mc', [])).toBe('mc')
    expect(firstFreeSubdomain('mc', ['mc'])).toBe('mc-2')
    expect(firstFreeSubdomain('mc', ['mc', 'mc-2', 'mc-4'])).toBe('mc-3')
  })
})
