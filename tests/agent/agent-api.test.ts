import { eq } from 'drizzle-orm'
import { describe, expect, inject, it } from 'vitest'
import { agentHeartbeats, licenses } from '../../server/db/schema'
import { createOwner, serverDb } from '../support/fixtures'
import { call, fakeIp } from '../support/http'

// The agent-facing additions: heartbeat (→ 204, stored per license, shown to the owner) and the
// long-poll parameter. Every call tries to break a rule: no token, another license, bad input.

const skip = inject('skipReason') !== ''

const asAgent = (token: string) => ({ authorization: `Bearer ${token}`, 'x-forwarded-for': fakeIp() })

describe.skipIf(skip)('agent heartbeat and long-poll input', () => {
  it('a heartbeat is stored for the token\'s license only and the owner sees the agent online with its version', async () => {
    const owner = await createOwner(2, 'beat')
    const [mine, other] = owner.licenses
    const res = await call('/api/agent/heartbeat', { method: 'POST', body: { version: '1.2.3', executor: 'rcon' }, headers: asAgent(owner.companionTokens[0]!) })
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    const { db } = await serverDb()
    const rows = await db.select().from(agentHeartbeats).where(eq(agentHeartbeats.licenseId, mine!.id))
    expect(rows).toMatchObject([{ version: '1.2.3', executor: 'rcon' }])
    expect(await db.select().from(agentHeartbeats).where(eq(agentHeartbeats.licenseId, other!.id))).toEqual([])
    const seen = await call<{ agent: Record<string, unknown> }>('/api/license/agent', { token: owner.token, headers: { 'x-license-id': mine!.id } })
    expect(seen.status).toBe(200)
    expect(seen.body.agent).toMatchObject({ online: true, version: '1.2.3', executor: 'rcon' })
    const never = await call<{ agent: Record<string, unknown> }>('/api/license/agent', { token: owner.token, headers: { 'x-license-id': other!.id } })
    expect(never.body.agent).toEqual({ online: false, last_seen_at: null, version: null, executor: null })
  })

  it('refuses a heartbeat without a valid token (401, nothing stored), from a suspended license, and names bad fields (400)', async () => {
    const owner = await createOwner(1, 'beatbad')
    const { db } = await serverDb()
    expect((await call('/api/agent/heartbeat', { method: 'POST', body: { version: '1.0.0', executor: 'rcon' }, headers: { 'x-forwarded-for': fakeIp() } })).status).toBe(401)
    expect((await call('/api/agent/heartbeat', { method: 'POST', body: { version: '1.0.0', executor: 'rcon' }, headers: asAgent('cairn_agent_nope') })).status).toBe(401)
    const bad = await call<{ data: { issues: Array<{ path: string }> } }>('/api/agent/heartbeat', { method: 'POST', body: { version: '', executor: 'Not Valid!' }, headers: asAgent(owner.companionTokens[0]!) })
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues.map(i => i.path).sort()).toEqual(['executor', 'version'])
    await db.update(licenses).set({ status: 'suspended' }).where(eq(licenses.id, owner.licenses[0]!.id))
    expect((await call('/api/agent/heartbeat', { method: 'POST', body: { version: '1.0.0', executor: 'rcon' }, headers: asAgent(owner.companionTokens[0]!) })).status).toBe(401)
    expect(await db.select().from(agentHeartbeats).where(eq(agentHeartbeats.licenseId, owner.licenses[0]!.id))).toEqual([])
  })

  it('wait must be 0–30 whole seconds (400 naming wait); without a token 401 before any validation', async () => {
    const owner = await createOwner(1, 'waitq')
    for (const wait of ['31', '-1', '1.5', 'soon']) {
      const res = await call<{ data: { issues: Array<{ path: string }> } }>(`/api/agent/queue?wait=${wait}`, { headers: asAgent(owner.companionTokens[0]!) })
      expect(res.status, wait).toBe(400)
      expect(res.body.data.issues[0]!.path).toBe('wait')
    }
    expect((await call('/api/agent/queue?wait=31', { headers: { 'x-forwarded-for': fakeIp() } })).status).toBe(401)
    const empty = await call('/api/agent/queue?wait=1', { headers: asAgent(owner.companionTokens[0]!) })
    expect(empty.status).toBe(200)
    expect(empty.body).toEqual({ deliveries: [], module_installs: [] })
  })
})
