import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { deliveries, moduleInstalls, webstoreSubscriptions } from '../../server/db/schema'
import { startAgentSim, type AgentSim } from '../support/agent-sim'
import { agentOwner, agentOwnerWithModules, serverDb, type AgentOwner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { pollFor } from '../support/poll'

// Module installs over HTTP against the built server, delivered over the real NATS (the server's
// relay and ack listener) to the reference agent, and over the HTTP agent queue as the fallback.
// Against the contract: a malformed version is a 400 naming `version` (not a 404 like a
// well-formed unknown one), a wrong type says so, nothing is written for bad input, and
// concurrent requests for one module leave exactly one install in flight.

const skip = inject('skipReason') !== ''
const natsUrl = inject('natsUrl')

interface InstallBody { install: { id: string, module_id: string, version: string, status: string, detail?: string | null } }
interface ModulesBody { modules: Array<{ id: string, name: string, description: string, latest_version: string, installed_version: string | null, install_status: string | null }> }

const as = (o: AgentOwner) => ({ token: o.token, headers: { 'x-forwarded-for': fakeIp() } })
const installModule = (o: AgentOwner, body: unknown) => call<InstallBody & { message?: string, data?: { issues?: Array<{ path: string }>, install?: { id: string } } }>('/api/modules/install', { method: 'POST', body, ...as(o) })
const getInstall = (o: AgentOwner, id: string) => call<InstallBody>(`/api/modules/installs/${id}`, as(o))
const listModules = (o: AgentOwner) => call<ModulesBody>('/api/modules', as(o))

async function waitForStatus(o: AgentOwner, id: string, status: string, timeoutMs = 20_000) {
  let last: string | undefined
  return pollFor(async () => {
    const { install } = (await getInstall(o, id)).body
    last = install?.status
    return last === status ? install : undefined
  }, { timeoutMs, everyMs: 150, failure: () => `install ${id} still ${last}, expected ${status}` })
}

const agents: AgentSim[] = []
function agentFor(o: AgentOwner, extra: string[]): AgentSim {
  const agent = startAgentSim(['--license-id', o.license.id, '--token', o.companionToken, '--url', inject('baseUrl'), '--timeout', '60', ...extra])
  agents.push(agent)
  return agent
}
afterAll(async () => {
  await Promise.all(agents.map(a => a.stop()))
})

describe.skipIf(skip)('module catalog and installs', () => {
  let owner: AgentOwner
  beforeAll(async () => {
    owner = await agentOwnerWithModules('mods')
  })

  it('GET /api/modules lists the catalog with this server\'s state', async () => {
    const res = await listModules(owner)
    expect(res.status).toBe(200)
    const ids = res.body.modules.map(m => m.id)
    expect(ids).toContain('webstore')
    expect(ids.length).toBeGreaterThanOrEqual(3)
    for (const m of res.body.modules) {
      expect(m).toMatchObject({ installed_version: null, install_status: null })
      expect(m.name).not.toBe('')
      expect(m.latest_version).toMatch(/^\d+\.\d+\.\d+$/)
    }
  })

  it('validates input: 401 anonymous, 400 naming the field, 404 unknown module or version', async () => {
    expect((await call('/api/modules')).status).toBe(401)
    expect((await call('/api/modules/install', { method: 'POST', body: { module_id: 'webstore' } })).status).toBe(401)
    const missing = await installModule(owner, {})
    expect(missing.status).toBe(400)
    expect(missing.body.data?.issues?.[0]?.path).toBe('module_id')
    const badVersion = await installModule(owner, { module_id: 'webstore', version: '1.0; rm -rf /' })
    expect(badVersion.status).toBe(400)
    expect(badVersion.body.data?.issues?.[0]?.path).toBe('version')
    expect((await installModule(owner, { module_id: 'does-not-exist' })).status).toBe(404)
    expect((await installModule(owner, { module_id: 'webstore', version: '0.0.1' })).status).toBe(404)
    expect((await getInstall(owner, '00000000-0000-4000-8000-000000000000')).status).toBe(404)
    expect((await getInstall(owner, 'not-a-uuid')).status).toBe(404)
    const { db } = await serverDb()
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, owner.license.id))).toHaveLength(0)
  })

  it.skipIf(!natsUrl)('install → the reference agent receives it over NATS and acks → installed', async () => {
    const queued = await installModule(owner, { module_id: 'backups' })
    expect(queued.status).toBe(202)
    expect(queued.body.install).toMatchObject({ module_id: 'backups', version: '2.4.1', status: 'queued' })
    const id = queued.body.install.id
    // While it is in flight: 409 naming the running install.
    const busy = await installModule(owner, { module_id: 'backups', version: '2.3.0' })
    expect(busy.status).toBe(409)
    expect(busy.body.data?.install?.id).toBe(id)
    const { db } = await serverDb()
    const [outbox] = await db.select().from(deliveries).where(and(eq(deliveries.id, id), eq(deliveries.kind, 'module_install')))
    expect(outbox?.licenseId).toBe(owner.license.id)

    const agent = agentFor(owner, ['--nats', natsUrl, '--exit-after', '1'])
    const received = await agent.waitFor(e => e.event === 'received' && e.id === id, 30_000)
    expect(received).toMatchObject({ transport: 'nats', kind: 'module_install' })
    expect(received.message).toMatchObject({ id, module_id: 'backups', version: '2.4.1' })
    expect(Object.keys(received.message!).sort()).toEqual(['download_url', 'filename', 'id', 'module_id', 'sha256', 'version'])
    expect(await agent.waitFor(e => e.event === 'acked' && e.id === id)).toMatchObject({ status: 'done', via: 'nats', result: 'applied' })
    expect(await agent.exited).toBe(0)

    const installed = await waitForStatus(owner, id, 'installed')
    expect(installed).toMatchObject({ id, module_id: 'backups', version: '2.4.1' })
    const listing = (await listModules(owner)).body.modules.find(m => m.id === 'backups')
    expect(listing).toMatchObject({ installed_version: '2.4.1', install_status: 'installed' })

  })

  it.skipIf(!natsUrl)('a failed ack marks the install failed with the agent\'s detail', async () => {
    const queued = await installModule(owner, { module_id: 'discord-bridge' })
    expect(queued.status).toBe(202)
    const agent = agentFor(owner, ['--nats', natsUrl, '--fail', 'discord-bridge', '--fail-detail', 'server runs Forge, plugin needs Paper', '--exit-after', '1'])
    expect(await agent.waitFor(e => e.event === 'acked' && e.id === queued.body.install.id, 30_000)).toMatchObject({ status: 'failed', via: 'nats' })
    const failed = await waitForStatus(owner, queued.body.install.id, 'failed')
    expect(failed.detail).toBe('server runs Forge, plugin needs Paper')
    expect((await listModules(owner)).body.modules.find(m => m.id === 'discord-bridge')).toMatchObject({ installed_version: null, install_status: 'failed' })
  })

  it('without NATS the agent gets the install from the HTTP queue; the installed version again answers 200 with that install', async () => {
    const solo = await agentOwner('modshttp')
    const queued = await installModule(solo, { module_id: 'vote-rewards' })
    expect(queued.status).toBe(202)
    const agent = agentFor(solo, ['--no-nats', '--poll', '0.3'])
    const received = await agent.waitFor(e => e.event === 'received' && e.id === queued.body.install.id, 30_000)
    expect(received.transport).toBe('http')
    expect(await agent.waitFor(e => e.event === 'acked' && e.id === queued.body.install.id)).toMatchObject({ via: 'http', result: 'applied' })
    await waitForStatus(solo, queued.body.install.id, 'installed')
    await agent.stop()
    // Nothing left for the agent afterwards.
    const queue = await call<{ module_installs: unknown[] }>('/api/agent/queue', { token: solo.companionToken })
    expect(queue.body.module_installs).toEqual([])
    // The installed version again: nothing new is queued, the existing install comes back (200).
    const again = await installModule(solo, { module_id: 'vote-rewards' })
    expect(again.status).toBe(200)
    expect(again.body.install).toMatchObject({ id: queued.body.install.id, module_id: 'vote-rewards', status: 'installed' })
    expect((await call<{ module_installs: unknown[] }>('/api/agent/queue', { token: solo.companionToken })).body.module_installs).toEqual([])
  })

  it('another owner\'s install is 404, and their license cannot be named', async () => {
    const mine = await installModule(owner, { module_id: 'vote-rewards' })
    const stranger = await agentOwner('modsother')
    expect((await getInstall(stranger, mine.body.install.id)).status).toBe(404)
    const named = await call('/api/modules/install', { method: 'POST', body: { module_id: 'webstore' }, token: stranger.token, headers: { 'x-license-id': owner.license.id, 'x-forwarded-for': fakeIp() } })
    expect(named.status).toBe(404)
    const listed = await call('/api/modules', { token: stranger.token, headers: { 'x-license-id': owner.license.id } })
    expect(listed.status).toBe(404)
    const { db } = await serverDb()
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, stranger.license.id))).toHaveLength(0)
    // The stranger's agent does not see or close it either.
    const queue = await call<{ module_installs: Array<{ id: string }> }>('/api/agent/queue', { token: stranger.companionToken })
    expect(queue.body.module_installs).toEqual([])
    const ack = await call<{ acks: Array<{ result: string }> }>('/api/agent/acks', { token: stranger.companionToken, body: { acks: [{ id: mine.body.install.id, kind: 'module_install', status: 'done' }] } })
    expect(ack.body.acks[0]?.result).toBe('unknown')
    expect((await getInstall(owner, mine.body.install.id)).body.install.status).not.toBe('installed')
  })

  it('enabling the store auto-installs the webstore module, once', async () => {
    const o = await agentOwner('modsauto')
    const { db } = await serverDb()
    await db.insert(webstoreSubscriptions).values({ licenseId: o.license.id, status: 'ACTIVE', paypalSubscriptionId: `I-AUTO${Date.now()}` })
    const config = (enabled: boolean) => call('/api/webstore/config', {
      method: 'PUT',
      ...as(o),
      body: { name: 'Auto Store', currency: 'USD', paypal_client_id: 'cid', paypal_client_secret: 'secret', paypal_mode: 'sandbox', enabled },
    })
    expect((await config(false)).status).toBe(200)
    expect((await listModules(o)).body.modules.find(m => m.id === 'webstore')?.install_status).toBeNull()
    expect((await config(true)).status).toBe(200)
    const webstore = (await listModules(o)).body.modules.find(m => m.id === 'webstore')
    expect(['queued', 'sent']).toContain(webstore?.install_status)
    for (const enabled of [true, false, true]) expect((await config(enabled)).status).toBe(200)
    const rows = await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, o.license.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ moduleId: 'webstore', version: webstore?.latest_version })
    expect(await db.select().from(deliveries).where(and(eq(deliveries.licenseId, o.license.id), eq(deliveries.kind, 'module_install')))).toHaveLength(1)
  })
})

describe.skipIf(skip)('POST /api/modules/install input and concurrency', () => {
  let owner: AgentOwner
  beforeAll(async () => {
    owner = await agentOwnerWithModules('modconf')
  })

  it('malformed versions are 400 naming version; a well-formed unknown one is 404; nothing is written', async () => {
    for (const version of ['v1.3.0', 'latest', '1.3', '01.3.0', '1.3.0.4', '../1.3.0', '1.3.0 ', 'x'.repeat(33)]) {
      const res = await installModule(owner, { module_id: 'webstore', version })
      expect(res.status, version).toBe(400)
      expect(res.body.data?.issues?.[0]?.path, version).toBe('version')
    }
    expect((await installModule(owner, { module_id: 'webstore', version: '9.9.9' })).status).toBe(404)
    for (const [body, path] of [[{ module_id: 123 }, 'module_id'], [{ module_id: 'webstore', version: 130 }, 'version'], [{ module_id: ['webstore'] }, 'module_id']] as const) {
      const res = await installModule(owner, body)
      expect(res.status).toBe(400)
      expect(res.body.data?.issues?.[0]).toEqual({ path, message: 'must be a string' })
    }
    const { db } = await serverDb()
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, owner.license.id))).toHaveLength(0)
  })

  it('concurrent installs of one module: exactly one 202 queued, the others 409 naming it', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => installModule(owner, { module_id: 'backups' })))
    const queued = results.filter(r => r.status === 202)
    const conflicts = results.filter(r => r.status === 409)
    expect(queued).toHaveLength(1)
    expect(conflicts).toHaveLength(11)
    const id = queued[0]!.body.install.id
    expect(queued[0]!.body.install).toMatchObject({ module_id: 'backups', status: 'queued' })
    for (const c of conflicts) expect(c.body.data?.install?.id).toBe(id)
    const { db } = await serverDb()
    expect(await db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, owner.license.id))).toHaveLength(1)
  })
})
