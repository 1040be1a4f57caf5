import { describe, expect, it } from 'vitest'
import { loggablePath } from '../../server/platform/logger'
import { loadEnv } from '../../server/platform/env'
import { parseInput, emailSchema } from '../../server/platform/validation'

describe('log hygiene', () => {
  it('drops query strings and redacts claim tokens', () => {
    expect(loggablePath('/api/x?token=secret')).toBe('/api/x')
    expect(loggablePath('/claim/abcdefSECRET?license=1')).toBe('/claim/[redacted]')
  })
})

describe('env', () => {
  it('defaults to the embedded database with the demo seed', () => {
    const env = loadEnv({})
    expect(env.databaseUrl).toBeUndefined()
    expect(env.seedDemo).toBe(true)
    expect(env.publicUrl).toBe('http://localhost:3000')
    expect(env.pluginDownloadUrl).toBe('http://localhost:3000/downloads/cairn-companion.jar?license={license_key}')
    expect(env.migrateOnStart).toBe(true)
  })

  it('reads PostgreSQL settings and switches', () => {
    const env = loadEnv({ DATABASE_URL: 'postgres://x', MIGRATE_ON_START: 'false', PUBLIC_URL: 'https://panel.example.com/', HOST_API_CORS_ORIGINS: 'https://a.example, https://b.example' })
    expect(env.seedDemo).toBe(false)
    expect(env.migrateOnStart).toBe(false)
    expect(env.publicUrl).toBe('https://panel.example.com')
    expect(env.hostApiCorsOrigins).toEqual(['https://a.example', 'https://b.example'])
  })
})

describe('validation', () => {
  it('names the failing field', () => {
    expect(() => parseInput(emailSchema, 'nope', 'customer_email')).toThrow(expect.objectContaining({ statusCode: 400, data: { issues: [expect.objectContaining({ path: 'customer_email' })] } }))
    expect(parseInput(emailSchema, '  Mixed@Case.COM ')).toBe('mixed@case.com')
  })
})
