import { describe, expect, it } from 'vitest'
import { billingCsvFilename, monthOf, resolveMonth } from '../../server/domains/hosts/billing'
import { BILLING_CSV_HEADER, hostnameSchema, monthSchema, serverIdSchema } from '../../shared/contracts/host'
import { fixedClock } from '../../server/platform/clock'
import { csvRow } from '../../server/platform/csv'
import { hostCorsHeaders, isHostApiPath } from '../../server/http/host-cors'
import { licenseIdParam } from '../../server/domains/hosts/host-licenses'
import { parseHostBearer } from '../../server/domains/hosts/api-keys'
import { generateHostKey, HOST_KEY_RE } from '../../server/domains/hosts/hosts'
import { parseProvisionRequest } from '../../server/domains/hosts/provisioning'

function issuePaths(fn: () => unknown): string[] {
  try {
    fn()
  }
  catch (error) {
    return ((error as { data?: { issues?: Array<{ path: string }> } }).data?.issues ?? []).map(i => i.path)
  }
  throw new Error('expected a validation error')
}

describe('provision input', () => {
  it('server_id: 1–128 of [A-Za-z0-9._:-]', () => {
    for (const ok of ['a', 'srv-1', 'eu-west:node.7_b', 'x'.repeat(128)]) expect(serverIdSchema.safeParse(ok).success, ok).toBe(true)
    for (const bad of ['', 'x'.repeat(129), 'a b', 'a/b', 'ü', 'a\nb', '../x']) expect(serverIdSchema.safeParse(bad).success, bad).toBe(false)
  })

  it('hostname: a DNS name or an IP address, at most 253 characters', () => {
    for (const ok of ['mc.example.net', 'localhost', 'a-b.c', '203.0.113.7', '2001:db8::1', 'play.example.net.', ' mc.example.net ']) {
      expect(hostnameSchema.safeParse(ok).success, ok).toBe(true)
    }
    const label = 'a'.repeat(63)
    for (const bad of ['', 'bad host', '-x.example', 'x-.example', 'a..b', '=cmd', 'x,y', `${label}a.com`, [label, label, label, label].join('.'), 'http://x.y', '1.2.3.4:25565']) {
      expect(hostnameSchema.safeParse(bad).success, bad).toBe(false)
    }
  })

  it('single vs bulk is decided by the presence of `servers`; errors name the field', () => {
    const one = { server_id: 's', hostname: 'h.example', customer_email: 'A@Example.com' }
    expect(parseProvisionRequest(one)).toEqual({ kind: 'single', servers: [{ ...one, customer_email: 'a@example.com' }] })
    expect(parseProvisionRequest({ servers: [one, one] }).kind).toBe('bulk')
    expect(issuePaths(() => parseProvisionRequest({ ...one, customer_email: 'x' }))).toEqual(['customer_email'])
    expect(issuePaths(() => parseProvisionRequest({ servers: [one, { ...one, server_id: 'x'.repeat(129) }] }))).toEqual(['servers.1.server_id'])
    expect(issuePaths(() => parseProvisionRequest({ servers: [] }))).toEqual(['servers'])
    expect(issuePaths(() => parseProvisionRequest(null))).toEqual([''])
    expect(issuePaths(() => parseProvisionRequest('text'))).toEqual([''])
  })
})

describe('billing month', () => {
  const june = { clock: fixedClock('2026-06-15T10:00:00Z') }
  it('accepts YYYY-MM only', () => {
    for (const ok of ['2026-06', '2000-01', '2025-12']) expect(monthSchema.safeParse(ok).success, ok).toBe(true)
    for (const bad of ['2026-13', '2026-1', '2026-00', '../', '2026-06-01', ' 2026-06', '1999-12', '20260-1', '']) {
      expect(monthSchema.safeParse(bad).success, bad).toBe(false)
    }
  })

  it('resolves UTC ranges, open/closed, and refuses the future', () => {
    expect(resolveMonth(june, '2026-06')).toEqual({ month: '2026-06', start: new Date('2026-06-01T00:00:00Z'), end: new Date('2026-07-01T00:00:00Z'), status: 'open' })
    expect(resolveMonth(june, '2025-12')).toMatchObject({ start: new Date('2025-12-01T00:00:00Z'), end: new Date('2026-01-01T00:00:00Z'), status: 'closed' })
    expect(issuePaths(() => resolveMonth(june, '2026-07'))).toEqual(['month'])
    expect(monthOf(new Date('2026-01-31T23:59:59.999Z'))).toBe('2026-01')
  })

  it('CSV header and filename are exactly as documented', () => {
    expect(csvRow(BILLING_CSV_HEADER)).toBe('license_id,server_id,hostname,customer_email,provisioned_at,revoked_at,rate_cents,amount_cents,currency\r\n')
    expect(billingCsvFilename('2026-03')).toBe('cairn-billing-2026-03.csv')
  })
})

describe('host keys and bearer parsing', () => {
  it('generates cairn_host_ keys with 192 random bits and a short display prefix', () => {
    const a = generateHostKey()
    const b = generateHostKey()
    expect(a.key).toMatch(HOST_KEY_RE)
    expect(a.key.length).toBe('cairn_host_'.length + 32)
    expect(a.key).not.toBe(b.key)
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(a.key.startsWith(a.prefix)).toBe(true)
    expect(a.prefix.length).toBeLessThan(20)
  })

  it('401 for anything that is not `Bearer cairn_host_...`', () => {
    const { key } = generateHostKey()
    expect(parseHostBearer(`Bearer ${key}`)).toBe(key)
    expect(parseHostBearer(`bearer   ${key}`)).toBe(key)
    for (const bad of [undefined, '', 'Bearer', `Basic ${key}`, `Bearer ${key} extra`, 'Bearer cairn_host_', `Bearer cairn_agent_${key.slice(11)}`]) {
      expect(() => parseHostBearer(bad), String(bad)).toThrowError(expect.objectContaining({ statusCode: 401 }))
    }
  })
})

describe('license ids', () => {
  it('a license id that is not a UUID is a 404, like an unknown one', () => {
    expect(licenseIdParam('6F1C2A9E-1B2C-4D3E-8F40-123456789ABC')).toBe('6f1c2a9e-1b2c-4d3e-8f40-123456789abc')
    for (const bad of [undefined, '', 'abc', '6f1c2a9e-1b2c-4d3e-8f40-123456789abc\' or 1=1']) {
      expect(() => licenseIdParam(bad)).toThrowError(expect.objectContaining({ statusCode: 404 }))
    }
  })
})

describe('host API CORS', () => {
  const allowed = ['https://console.hoster.example']
  it('only exact allowed origins get headers; others only Vary', () => {
    expect(hostCorsHeaders(allowed, 'https://console.hoster.example', true)).toMatchObject({ 'Access-Control-Allow-Origin': 'https://console.hoster.example', 'Access-Control-Allow-Methods': expect.stringContaining('DELETE') })
    expect(hostCorsHeaders(allowed, 'https://console.hoster.example', false)).not.toHaveProperty('Access-Control-Allow-Methods')
    for (const origin of [undefined, 'https://evil.example', 'https://console.hoster.example.evil', 'null']) {
      expect(hostCorsHeaders(allowed, origin, true)).toEqual({ Vary: 'Origin' })
    }
    expect(hostCorsHeaders([], 'https://console.hoster.example', true)).toEqual({ Vary: 'Origin' })
  })

  it('covers /api/host and below only', () => {
    expect(isHostApiPath('/api/host/provision')).toBe(true)
    expect(isHostApiPath('/api/host/licenses?limit=2')).toBe(true)
    expect(isHostApiPath('/api/hostile')).toBe(false)
    expect(isHostApiPath('/api/health')).toBe(false)
  })
})
