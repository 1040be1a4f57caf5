import { describe, expect, it } from 'vitest'
import { fixedClock } from '../../server/platform/clock'
import { createLogger, loggablePath } from '../../server/platform/logger'
import { parseInput } from '../../server/platform/validation'
import { emailSchema } from '../../shared/contracts/fields'

describe('log hygiene', () => {
  it('drops query strings and redacts claim and password-reset tokens', () => {
    expect(loggablePath('/api/x?token=secret')).toBe('/api/x')
    expect(loggablePath('/claim/abcdefSECRET?license=1')).toBe('/claim/[redacted]')
    expect(loggablePath('/reset/abcdefSECRET')).toBe('/reset/[redacted]')
    expect(loggablePath('/reset/abcdefSECRET/x?y=1')).toBe('/reset/[redacted]/x')
  })
})

describe('logger', () => {
  it('writes one JSON line per event stamped by its clock, errors to stderr', () => {
    const out: string[] = []
    const err: string[] = []
    const log = createLogger(fixedClock('2026-03-01T12:00:00.000Z'), { stdout: line => out.push(line), stderr: line => err.push(line) })
    log.info('request', { status: 200 })
    log.warn('slow')
    log.error('failed', { error: 'boom' })
    expect(out).toEqual([
      '{"time":"2026-03-01T12:00:00.000Z","level":"info","msg":"request","status":200}\n',
      '{"time":"2026-03-01T12:00:00.000Z","level":"warn","msg":"slow"}\n',
    ])
    expect(err).toEqual(['{"time":"2026-03-01T12:00:00.000Z","level":"error","msg":"failed","error":"boom"}\n'])
  })
})

describe('validation', () => {
  it('names the failing field', () => {
    expect(() => parseInput(emailSchema, 'nope', 'customer_email')).toThrow(expect.objectContaining({ statusCode: 400, data: { issues: [expect.objectContaining({ path: 'customer_email' })] } }))
    expect(parseInput(emailSchema, '  Mixed@Case.COM ')).toBe('mixed@case.com')
  })
})
