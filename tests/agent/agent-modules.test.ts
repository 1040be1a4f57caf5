import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { moduleInstalls } from '../../server/db/schema'
import { enqueueAgentMessage } from '../../server/domains/agent/outbox'
import { publishModule } from '../../server/domains/modules/registry'
import { downloadAgent, startAgentProcess, type AgentProcess } from '../support/cairn-agent'
import { testDeps } from '../support/deps'
import { createOwner, serverDb, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { pollFor } from '../support/poll'

// Module installs end to end: published bytes (the registry), the owner's install request, the
// shipped agent downloading with its token, verifying the SHA-256 and installing atomically.

const skip = inject('skipReason') !== ''
let agentFile: string
const running: AgentProcess[] = []
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

function startAgent(owner: Owner): AgentProcess {
  const agent = startAgentProcess(agentFile, {
    CAIRN_URL: inject('baseUrl'),
    CAIRN_LICENSE_ID: owner.licenses[0]!.id,
    CAIRN_TOKEN: owner.companionTokens[0]!,
    CAIRN_EXECUTOR: 'stdout',
    CAIRN_NATS: 'off',
  })
  running.push(agent)
  return agent
}

async function install(owner: Owner, body: Record<string, string>) {
  const res = await call<{ install: { id: string } }>('/api/modules/install', { method: 'POST', body, token: owner.token, headers: { 'x-license-id': owner.licenses[0]!.id, 'x-forwarded-for': fakeIp() } })
  expect(res.status).toBe(202)
  return res.body.install.id
}

async function finished(id: string) {
  const { db } = await serverDb()
  return pollFor(async () => {
    const [row] = await db.select().from(moduleInstalls).where(eq(moduleInstalls.id, id))
    return row && (row.status === 'installed' || row.status === 'failed') ? row : undefined
  }, { timeoutMs: 15_000, everyMs: 100, failure: () => `install ${id} not finished` })
}

describe.skipIf(skip)('module installs by the shipped agent', () => {
  beforeAll(async () => {
    agentFile = await downloadAgent(inject('baseUrl'))
  })
  afterEach(async () => {
    await Promise.all(running.splice(0).map(a => a.stop('SIGKILL')))
  })

  it('downloads the published bytes with its token, verifies them, installs atomically and removes the older version it installed', async () => {
    const { db } = await serverDb()
    const deps = testDeps(db)
    const v1 = Buffer.from(`first build ${Math.random()}\n`)
    const v2 = Buffer.from(`second build ${Math.random()}\n`)
    const id = `agent-mod-${Math.random().toString(36).slice(2, 8)}`
    await publishModule(deps, { id, version: '1.0.0', bytes: v1, ext: '.jar', name: 'Agent test module' })
    await publishModule(deps, { id, version: '1.1.0', bytes: v2, ext: '.jar' })
    const owner = await createOwner(1, 'agentmod')
    const agent = startAgent(owner)

    const first = await finished(await install(owner, { module_id: id, version: '1.0.0' }))
    expect(first.status).toBe('installed')
    expect(readFileSync(join(agent.modulesDir, `${id}-1.0.0.jar`))).toEqual(v1)

    const second = await finished(await install(owner, { module_id: id }))
    expect(second).toMatchObject({ status: 'installed', version: '1.1.0' })
    const files = readdirSync(agent.modulesDir)
    expect(files).toEqual([`${id}-1.1.0.jar`])
    expect(sha256(readFileSync(join(agent.modulesDir, files[0]!)))).toBe(sha256(v2))
  })

  it('the download needs a companion token (any license\'s), and 404s for an unknown version', async () => {
    const { db } = await serverDb()
    await publishModule(testDeps(db), { id: 'token-check', version: '1.0.0', bytes: Buffer.from('x'), ext: '.jar' })
    const url = `${inject('baseUrl')}/api/agent/modules/token-check/1.0.0`
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { authorization: 'Bearer cairn_agent_wrong' } })).status).toBe(401)
    const stranger = await createOwner(1, 'anylicense')
    const ok = await fetch(url, { headers: { authorization: `Bearer ${stranger.companionTokens[0]}` } })
    expect(ok.status).toBe(200)
    expect(Buffer.from(await ok.arrayBuffer()).toString()).toBe('x')
    expect((await fetch(`${url.slice(0, -5)}9.9.9`, { headers: { authorization: `Bearer ${stranger.companionTokens[0]}` } })).status).toBe(404)
  })

  it('refuses a file name with a path separator or "..", whatever Cairn sent: nothing written outside, ack failed', async () => {
    const { db } = await serverDb()
    const owner = await createOwner(1, 'evilname')
    const licenseId = owner.licenses[0]!.id
    const installId = globalThis.crypto.randomUUID()
    await db.insert(moduleInstalls).values({ id: installId, licenseId, moduleId: 'token-check', version: '1.0.0', status: 'queued' })
    await enqueueAgentMessage(testDeps(db), {
      id: installId,
      licenseId,
      kind: 'module_install',
      refId: installId,
      payload: { id: installId, module_id: 'token-check', version: '1.0.0', download_url: `${inject('baseUrl')}/api/agent/modules/token-check/1.0.0`, sha256: sha256(Buffer.from('x')), filename: '../escaped.jar' },
    })
    const agent = startAgent(owner)
    const row = await finished(installId)
    expect(row.status).toBe('failed')
    expect(row.detail).toContain('refused file name')
    expect(existsSync(join(agent.modulesDir, '..', 'escaped.jar'))).toBe(false)
  })
})
