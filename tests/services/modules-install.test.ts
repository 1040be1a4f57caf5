import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliveries, moduleInstalls } from '../../server/db/schema'
import { applyAcks } from '../../server/domains/agent/acks'
import { listenForAcks } from '../../server/domains/agent/ack-listener'
import { takeOpenMessages } from '../../server/domains/agent/outbox'
import { OutboxRelay } from '../../server/domains/agent/relay'
import { DomainError } from '../../server/platform/errors'
import { registerModuleInstallAcks } from '../../server/domains/modules/acks'
import { findPublishedModule, moduleDownloadUrl, publishModule } from '../../server/domains/modules/registry'
import { publishTestModules } from '../support/modules'
import { getInstall, listModules, requestInstall } from '../../server/domains/modules/installs'
import { installInputSchema } from '../../shared/contracts/modules'
import { NatsLink } from '../../server/integrations/nats/connection'
import { parseInput } from '../../server/platform/validation'
import { startAgentSim } from '../support/agent-sim'
import { quietLog } from '../support/deps'
import { createOwnerLicense } from '../support/licenses'
import { natsReachable } from '../support/server'
import { useTestDatabase } from '../support/test-database'

// Module installs on a real database: the outbox row shares the install's id, one in-flight install
// per module, 200 for an installed version, acks close installs, and (with the real NATS) the
// reference agent receives the install over JetStream and its ack marks it installed or failed.

const natsUrl = await natsReachable()
const t = useTestDatabase('cairn_modules_svc')
let link: NatsLink | undefined
let relay: OutboxRelay | undefined

beforeAll(async () => {
  registerModuleInstallAcks()
  await publishTestModules(t.deps.db)
  if (natsUrl) {
    link = new NatsLink(natsUrl, quietLog)
    const nc = await link.connection()
    relay = new OutboxRelay({ ...t.deps, nats: link }, { pollMs: 200 })
    relay.start()
    listenForAcks(t.deps, nc)
  }
})
afterAll(async () => {
  await relay?.stop()
  await link?.close()
})

const newLicense = () => createOwnerLicense(t.deps, 'mod')

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  if (!(error instanceof DomainError)) throw new Error(`expected a domain error, got ${String(error)}`)
  return error
}

const install = (licenseId: string, body: Record<string, unknown>) =>
  requestInstall(t.deps, licenseId, parseInput(installInputSchema, body))

describe('registry', () => {
  it('lists published modules only, versions newest first, each with its real digest and file name', async () => {
    const webstore = (await findPublishedModule(t.deps, 'webstore'))!
    expect(webstore.versions.map(v => v.version)).toEqual(['1.3.0', '1.2.1', '1.1.0'])
    for (const v of webstore.versions) {
      expect(v.sha256).toMatch(/^[0-9a-f]{64}$/)
      expect(v.filename).toBe(`webstore-${v.version}.jar`)
      expect(installInputSchema.safeParse({ module_id: 'webstore', version: v.version }).success).toBe(true)
    }
    expect(await findPublishedModule(t.deps, 'never-published')).toBeUndefined()
    expect((await rejection(install((await newLicense()).license.id, { module_id: 'never-published' }))).statusCode).toBe(404)
  })

  it('a version is immutable: the same bytes again are fine, other bytes are a conflict and change nothing', async () => {
    const first = await publishModule(t.deps, { id: 'immutable-test', version: '1.0.0', bytes: Buffer.from('one'), ext: '.jar' })
    expect(await publishModule(t.deps, { id: 'immutable-test', version: '1.0.0', bytes: Buffer.from('one'), ext: '.jar' })).toEqual(first)
    expect((await rejection(publishModule(t.deps, { id: 'immutable-test', version: '1.0.0', bytes: Buffer.from('two'), ext: '.jar' }))).statusCode).toBe(409)
    expect((await findPublishedModule(t.deps, 'immutable-test'))!.versions[0]!.sha256).toBe(first.sha256)
    for (const bad of [{ id: 'Bad', version: '1.0.0' }, { id: 'ok-id', version: '1.0' }, { id: 'x', version: '1.0.0' }]) {
      expect((await rejection(publishModule(t.deps, { ...bad, bytes: Buffer.from('b'), ext: '.jar' }))).statusCode).toBe(400)
    }
  })
})

describe('module installs', () => {
  it('queues the install and its outbox message (same id, API.md shape) in one transaction', async () => {
    const { license } = await newLicense()
    const result = await install(license.id, { module_id: 'backups' })
    expect(result.install).toMatchObject({ module_id: 'backups', version: '2.4.1', status: 'queued', detail: null })
    const [outbox] = await t.db.select().from(deliveries).where(and(eq(deliveries.licenseId, license.id), eq(deliveries.kind, 'module_install')))
    const v = (await findPublishedModule(t.deps, 'backups'))!.versions[0]!
    expect(outbox).toMatchObject({ id: result.install.id, refId: result.install.id })
    expect(outbox!.payload).toEqual({ id: result.install.id, module_id: 'backups', version: '2.4.1', download_url: moduleDownloadUrl(t.deps, 'backups', v.version), sha256: v.sha256, filename: 'backups-2.4.1.jar' })
  })

  it('404 for an unknown module or version, 409 while in flight, 200 with the install once that version is installed', async () => {
    const { license } = await newLicense()
    expect((await rejection(install(license.id, { module_id: 'no-such-module' }))).statusCode).toBe(404)
    expect((await rejection(install(license.id, { module_id: 'webstore', version: '9.9.9' }))).statusCode).toBe(404)
    const first = await install(license.id, { module_id: 'webstore', version: '1.2.1' })
    const busy = await rejection(install(license.id, { module_id: 'webstore', version: '1.3.0' }))
    expect(busy.statusCode).toBe(409)
    expect((busy.data?.install as { id: string }).id).toBe(first.install.id)
    // Another module is independent.
    expect((await install(license.id, { module_id: 'discord-bridge' })).install.status).toBe('queued')

    await applyAcks(t.deps, license.id, [{ id: first.install.id, kind: 'module_install', status: 'done' }])
    // The installed version again: the existing install, nothing queued.
    const again = await install(license.id, { module_id: 'webstore', version: '1.2.1' })
    expect(again).toMatchObject({ queued: false, install: { id: first.install.id, status: 'installed' } })
    // An upgrade is a new install.
    const upgrade = await install(license.id, { module_id: 'webstore' })
    expect(upgrade.install).toMatchObject({ version: '1.3.0', status: 'queued' })
    const listing = (await listModules(t.deps, license.id)).find(m => m.id === 'webstore')!
    // In flight: `sent` as soon as the relay (running here when NATS is up) has published it.
    expect(listing).toMatchObject({ installed_version: '1.2.1', install_status: expect.stringMatching(/^(queued|sent)$/), latest_version: '1.3.0' })
  })

  it('concurrent requests for one module queue exactly one install', async () => {
    const { license } = await newLicense()
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => install(license.id, { module_id: 'discord-bridge' })))
    const ok = results.filter(r => r.status === 'fulfilled')
    const conflicts = results.filter(r => r.status === 'rejected' && (r.reason as DomainError).statusCode === 409)
    expect(ok).toHaveLength(1)
    expect(conflicts).toHaveLength(9)
    expect(await t.db.select().from(moduleInstalls).where(eq(moduleInstalls.licenseId, license.id))).toHaveLength(1)
    expect(await t.db.select().from(deliveries).where(eq(deliveries.licenseId, license.id))).toHaveLength(1)
  })

  it('acks only close the acking license\'s installs; another license\'s install id is 404', async () => {
    const a = await newLicense()
    const b = await newLicense()
    const queued = await install(a.license.id, { module_id: 'backups' })
    const wrong = await applyAcks(t.deps, b.license.id, [{ id: queued.install.id, kind: 'module_install', status: 'done' }])
    expect(wrong).toEqual([{ id: queued.install.id, result: 'unknown' }])
    expect(['queued', 'sent']).toContain((await getInstall(t.deps, a.license.id, queued.install.id)).status)
    expect((await rejection(getInstall(t.deps, b.license.id, queued.install.id))).statusCode).toBe(404)
    await applyAcks(t.deps, a.license.id, [{ id: queued.install.id, kind: 'module_install', status: 'failed', detail: 'checksum mismatch\u0000' }])
    const failed = await getInstall(t.deps, a.license.id, queued.install.id)
    expect(failed).toMatchObject({ status: 'failed', detail: 'checksum mismatch ' })
    expect(failed.finished_at).not.toBeNull()
    // A late duplicate "done" does not flip a closed install.
    await applyAcks(t.deps, a.license.id, [{ id: queued.install.id, kind: 'module_install', status: 'done' }])
    expect((await getInstall(t.deps, a.license.id, queued.install.id)).status).toBe('failed')
    // Failed installs can be retried.
    expect((await install(a.license.id, { module_id: 'backups' })).install.status).toBe('queued')
  })

  it('the HTTP agent queue hands out module installs and shows them as sent', async () => {
    const { license } = await newLicense()
    const queued = await install(license.id, { module_id: 'discord-bridge', version: '0.8.5' })
    // Take it before the relay does (the relay may already have: either way it is "sent").
    const queue = await takeOpenMessages(t.deps, license.id)
    expect(queue.deliveries).toEqual([])
    if (queue.module_installs.length > 0) expect(queue.module_installs[0]).toMatchObject({ id: queued.install.id, module_id: 'discord-bridge', version: '0.8.5' })
    expect((await getInstall(t.deps, license.id, queued.install.id)).status).toBe('sent')
  })
})

describe.skipIf(!natsUrl)('over real NATS with the reference agent (scripts/agent-sim.ts)', () => {
  it('the agent receives the install over JetStream, acks it, and the install is installed', async () => {
    const { license, companionToken } = await newLicense()
    const queued = await install(license.id, { module_id: 'webstore' })
    const agent = startAgentSim(['--license-id', license.id, '--token', companionToken, '--nats', natsUrl!, '--url', 'http://127.0.0.1:9', '--exit-after', '1', '--timeout', '40'])
    try {
      const received = await agent.waitFor(e => e.event === 'received' && e.id === queued.install.id, 30_000)
      expect(received).toMatchObject({ transport: 'nats', kind: 'module_install', duplicate: false })
      const v = (await findPublishedModule(t.deps, 'webstore'))!.versions[0]!
      expect(received.message).toEqual({ id: queued.install.id, module_id: 'webstore', version: v.version, download_url: moduleDownloadUrl(t.deps, 'webstore', v.version), sha256: v.sha256, filename: v.filename })
      const acked = await agent.waitFor(e => e.event === 'acked' && e.id === queued.install.id)
      expect(acked).toMatchObject({ status: 'done', via: 'nats', result: 'applied' })
      expect(await agent.exited).toBe(0)
    }
    finally {
      await agent.stop()
    }
    const done = await getInstall(t.deps, license.id, queued.install.id)
    expect(done.status).toBe('installed')
    const listing = (await listModules(t.deps, license.id)).find(m => m.id === 'webstore')!
    expect(listing).toMatchObject({ installed_version: done.version, install_status: 'installed' })
  })

  it('a failed ack marks the install failed with the agent\'s detail', async () => {
    const { license, companionToken } = await newLicense()
    const queued = await install(license.id, { module_id: 'backups' })
    const agent = startAgentSim(['--license-id', license.id, '--token', companionToken, '--nats', natsUrl!, '--url', 'http://127.0.0.1:9', '--fail', 'backups', '--fail-detail', 'not enough disk space for backups', '--exit-after', '1', '--timeout', '40'])
    try {
      const acked = await agent.waitFor(e => e.event === 'acked' && e.id === queued.install.id, 30_000)
      expect(acked).toMatchObject({ status: 'failed', via: 'nats', result: 'applied', detail: 'not enough disk space for backups' })
    }
    finally {
      await agent.stop()
    }
    expect(await getInstall(t.deps, license.id, queued.install.id)).toMatchObject({ status: 'failed', detail: 'not enough disk space for backups' })
  })
})
