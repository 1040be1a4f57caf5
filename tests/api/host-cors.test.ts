import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openDb, type DbHandle } from '../../server/db'
import { createHost } from '../../server/domains/hosts/hosts'
import { createEmptyDatabase } from '../support/postgres'
import { startBuiltServer, type RunningServer } from '../support/server'
import { testDeps } from '../support/deps'

// CORS depends on HOST_API_CORS_ORIGINS at start-up, so this file runs its own server.
const ALLOWED = 'https://console.hoster.example'
const skip = inject('skipReason')

describe.skipIf(Boolean(skip))('host API CORS', () => {
  let server: RunningServer
  let database: { url: string, drop: () => Promise<void> }
  let handle: DbHandle
  let key: string

  beforeAll(async () => {
    database = await createEmptyDatabase('cairn_cors')
    server = await startBuiltServer('host-cors', { DATABASE_URL: database.url, HOST_API_CORS_ORIGINS: `${ALLOWED}, https://other.hoster.example` })
    handle = await openDb({ databaseUrl: database.url, maxConnections: 2 })
    key = (await createHost(testDeps(handle.db), { name: 'CORS host' })).apiKey
  }, 90_000)

  afterAll(async () => {
    await handle?.close()
    await server?.stop()
    await database?.drop()
  })

  const preflight = (origin: string, path = '/api/host/provision') => fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { 'origin': origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  })

  it('a preflight from an allowed origin gets 204 with the CORS headers', async () => {
    const res = await preflight(ALLOWED)
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED)
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    expect(res.headers.get('vary')).toContain('Origin')
  })

  it('a preflight from any other origin gets no CORS headers at all', async () => {
    for (const origin of ['https://evil.example', 'https://console.hoster.example.evil.example', 'null', 'http://console.hoster.example']) {
      const res = await preflight(origin, '/api/host/licenses/00000000-0000-4000-8000-000000000000')
      const cors = [...res.headers.keys()].filter(h => h.startsWith('access-control-'))
      expect(cors, origin).toEqual([])
    }
  })

  it('actual responses carry Access-Control-Allow-Origin only for an allowed Origin', async () => {
    const ok = await fetch(`${server.url}/api/host/licenses`, { headers: { origin: ALLOWED, authorization: `Bearer ${key}` } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED)
    const denied = await fetch(`${server.url}/api/host/licenses`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${key}` } })
    expect(denied.status).toBe(200)
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
    // Errors from an allowed origin stay readable by the host's console.
    const unauthorized = await fetch(`${server.url}/api/host/licenses`, { headers: { origin: ALLOWED } })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(ALLOWED)
  })

  it('no CORS headers outside the host API, even for an allowed origin', async () => {
    const res = await fetch(`${server.url}/api/health`, { headers: { origin: ALLOWED } })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
