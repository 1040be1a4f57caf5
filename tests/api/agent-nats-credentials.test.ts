import { eq } from 'drizzle-orm'
import { createUser as createUserKey, type KeyPair } from '@nats-io/nkeys'
import { connect, credsAuthenticator, jwtAuthenticator, RetentionPolicy, StorageType, type NatsConnection } from 'nats'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openDb, type DbHandle } from '../../server/db'
import { deliveries, licenses, storeTransactions } from '../../server/db/schema'
import { issueAgentNatsCredentials } from '../../server/domains/agent/credentials'
import { AGENT_STREAM_CONFIG, isSubjectFull } from '../../server/integrations/nats/jetstream'
import type { NatsCredentials } from '../../shared/contracts/agent'
import { AGENT_NATS_CREDENTIALS_PER_LICENSE, AGENT_STREAM_MAX_MSGS_PER_SUBJECT } from '../../shared/contracts/limits'
import { createDeps } from '../../server/platform/deps'
import { testEnvWith, quietLog } from '../support/deps'
import { testKeys } from '../support/keys'
import { runCli } from '../support/cli'
import { serverDb } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { natsServerAvailable, startOperatorNats, type OperatorNats } from '../support/operator-nats'
import { approveAsBuyer, createOpenStore, createStoreItem, type StoreFixture } from '../support/paypal'
import { pollFor } from '../support/poll'
import { createEmptyDatabase } from '../support/postgres'
import { startBuiltServer, type RunningServer } from '../support/server'

// Operator-mode NATS (decentralized JWT auth) on a nats-server of this file's own, configured by
// `nats:setup`. Cairn connects with its creds file; agents get license-scoped user JWTs from
// POST /api/agent/nats-credentials and can touch their own license's consumers and nothing else.

const skip = inject('skipReason') !== '' || !natsServerAvailable()
const enc = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

let nats: OperatorNats
let server: RunningServer
let handle: DbHandle
let dropDb: () => Promise<void>
const open: NatsConnection[] = []

async function http<T = Record<string, unknown>>(path: string, init: { token?: string, body?: unknown } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': fakeIp(), 'content-type': 'application/json' }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  const res = await fetch(`${server.url}${path}`, { method: init.body === undefined ? 'GET' : 'POST', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) as T }
}

interface Agent { key: KeyPair, creds: NatsCredentials, nc: NatsConnection }

/** An agent as the shipped one works: its own nkey, credentials from Cairn, a connection with them. */
async function agentFor(shop: StoreFixture): Promise<Agent> {
  const key = createUserKey()
  const res = await http<NatsCredentials>('/api/agent/nats-credentials', { token: shop.companionToken, body: { public_key: key.getPublicKey() } })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const nc = await connect({ servers: res.body.servers, authenticator: jwtAuthenticator(res.body.jwt, key.getSeed()), inboxPrefix: res.body.inbox_prefix, name: 'test-agent' })
  open.push(nc)
  return { key, creds: res.body, nc }
}

/** The first error the connection reports, as the server words it (a refusal arrives asynchronously). */
function nextError(nc: NatsConnection): Promise<string> {
  return (async () => {
    for await (const s of nc.status()) {
      if (s.type !== 'error') continue
      const p = s.permissionContext
      return p ? `Permissions Violation for ${p.operation === 'publish' ? 'Publish' : 'Subscription'} to "${p.subject}"` : String(s.data)
    }
    return 'closed'
  })()
}

/** A paid purchase on the server under test: the delivery row it created. */
async function paidDelivery(shop: StoreFixture, player: string) {
  const item = await createStoreItem(handle.db, shop, { commands: [{ command: 'give {player} diamond', require_online: false }] })
  const bought = await http<{ transaction_id: string }>(`/api/public-store/${shop.subdomain}/purchase`, { body: { item_id: item.id, player_name: player, quantity: 1 } })
  expect(bought.status).toBe(201)
  const [tx] = await handle.db.select().from(storeTransactions).where(eq(storeTransactions.id, bought.body.transaction_id))
  await approveAsBuyer(tx!.paypalOrderId!)
  expect((await http(`/api/public-store/${shop.subdomain}/transactions/${tx!.id}/capture`, { body: {} })).status).toBe(200)
  return pollFor(async () => (await handle.db.select().from(deliveries).where(eq(deliveries.refId, tx!.id)))[0], { timeoutMs: 10_000, failure: () => 'no delivery row' })
}

describe.skipIf(skip)('agent NATS credentials on operator-mode NATS', () => {
  beforeAll(async () => {
    nats = await startOperatorNats()
    // A stream left by an older Cairn (no per-subject cap): start-up must update it, not only create.
    const cairn = await connect({ servers: nats.url, authenticator: credsAuthenticator(readFileSync(nats.env.NATS_CREDS!)) })
    await (await cairn.jetstreamManager()).streams.add({ name: 'CAIRN_AGENT', subjects: ['cairn.agent.*.deliveries', 'cairn.agent.*.modules.install'], retention: RetentionPolicy.Workqueue, storage: StorageType.File })
    await cairn.close()
    const db = await createEmptyDatabase('cairn_api_natscreds')
    dropDb = db.drop
    server = await startBuiltServer('api-nats-creds', { DATABASE_URL: db.url, PAYPAL_API_BASE: inject('paypalUrl'), ...nats.env, NATS_AGENT_TTL_S: '600' })
    handle = await openDb({ databaseUrl: db.url, maxConnections: 3 })
  }, 120_000)
  afterAll(async () => {
    await Promise.all(open.map(nc => nc.close().catch(() => {})))
    await server?.stop()
    await handle?.close()
    await dropDb?.()
    await nats?.stop()
  })

  it('Cairn connects with its own creds file: health says nats ok, and the stream got the per-subject cap', async () => {
    await pollFor(async () => ((await http<{ nats: string }>('/api/health')).body.nats === 'ok' ? true : undefined), { timeoutMs: 15_000, failure: () => 'nats never ok' })
    const cairn = await connect({ servers: nats.url, authenticator: credsAuthenticator(readFileSync(nats.env.NATS_CREDS!)) })
    open.push(cairn)
    const info = await pollFor(async () => {
      const stream = await (await cairn.jetstreamManager()).streams.info('CAIRN_AGENT')
      return stream.config.max_msgs_per_subject === AGENT_STREAM_MAX_MSGS_PER_SUBJECT ? stream : undefined
    }, { timeoutMs: 15_000, failure: () => 'stream not updated' })
    expect(info.config).toMatchObject({ discard: 'new', discard_new_per_subject: true, max_msgs_per_subject: AGENT_STREAM_MAX_MSGS_PER_SUBJECT })
  })

  it('a subject at its cap refuses the new publish with the error the relay recognises (nothing older is dropped)', async () => {
    const cairn = await connect({ servers: nats.url, authenticator: credsAuthenticator(readFileSync(nats.env.NATS_CREDS!)) })
    open.push(cairn)
    const jsm = await cairn.jetstreamManager()
    await jsm.streams.add({ ...AGENT_STREAM_CONFIG, name: 'CAP_TEST', subjects: ['captest.*'], max_msgs_per_subject: 2 })
    const js = cairn.jetstream()
    await js.publish('captest.a', enc({ n: 1 }), { msgID: 'm1' })
    await js.publish('captest.a', enc({ n: 2 }), { msgID: 'm2' })
    const refused = await js.publish('captest.a', enc({ n: 3 }), { msgID: 'm3' }).then(() => null, (error: unknown) => error)
    expect(isSubjectFull(refused), String(refused)).toBe(true)
    await js.publish('captest.b', enc({ n: 1 }), { msgID: 'b1' }) // other subjects are unaffected
    expect((await jsm.streams.getMessage('CAP_TEST', { seq: 1 })).json()).toEqual({ n: 1 })
    expect((await jsm.streams.info('CAP_TEST')).state.messages).toBe(3)
    await jsm.streams.delete('CAP_TEST')
  })

  it('answers exactly the contract, with a JWT for the agent\'s own key and never a seed', async () => {
    const shop = await createOpenStore(handle.db, { tag: 'ncshape' })
    const key = createUserKey()
    const res = await http<NatsCredentials>('/api/agent/nats-credentials', { token: shop.companionToken, body: { public_key: key.getPublicKey() } })
    expect(res.status).toBe(200)
    const id = shop.license.id
    expect(res.body).toEqual({
      servers: [nats.url],
      jwt: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      inbox_prefix: `_INBOX_${id}`,
      expires_at: expect.any(String),
      stream: 'CAIRN_AGENT',
      consumers: { deliveries: `agent_${id}_deliveries`, modules: `agent_${id}_modules` },
      ack_subject: `cairn.agent.${id}.acks`,
    })
    const claims = JSON.parse(Buffer.from(res.body.jwt.split('.')[1]!, 'base64url').toString()) as { sub: string, exp: number, nats: { issuer_account: string } }
    expect(claims.sub).toBe(key.getPublicKey())
    expect(claims.nats.issuer_account).toBe(nats.env.NATS_AGENT_ACCOUNT)
    expect(new Date(res.body.expires_at).getTime()).toBe(claims.exp * 1000)
    expect(claims.exp * 1000 - Date.now()).toBeGreaterThan(590_000)
    expect(JSON.stringify(res.body)).not.toMatch(/"S[AUO][A-Z2-7]{20,}/)
    expect(readFileSync(server.logFile, 'utf8')).not.toContain(nats.env.NATS_AGENT_SIGNING_SEED!)
  })

  it('an agent with its JWT consumes its own purchase delivery and acks it: the transaction is delivered', async () => {
    const shop = await createOpenStore(handle.db, { tag: 'ncown' })
    const agent = await agentFor(shop)
    const row = await paidDelivery(shop, 'Alex')
    const consumer = await agent.nc.jetstream().consumers.get(agent.creds.stream, agent.creds.consumers.deliveries)
    const msg = await pollFor(async () => (await consumer.next({ expires: 2000 })) ?? undefined, { timeoutMs: 15_000, failure: () => 'no message' })
    expect(msg.headers?.get('Nats-Msg-Id')).toBe(row.id)
    expect(JSON.parse(text(msg.data))).toMatchObject({ id: row.id, player: { name: 'Alex' }, commands: [{ command: 'give Alex diamond', require_online: false }] })
    const reply = await agent.nc.request(agent.creds.ack_subject, enc({ acks: [{ id: row.id, kind: 'delivery', status: 'done' }] }), { timeout: 5000 })
    expect(JSON.parse(text(reply.data))).toEqual({ ok: true, results: [{ id: row.id, result: 'applied' }] })
    msg.ack()
    const [after] = await handle.db.select().from(deliveries).where(eq(deliveries.id, row.id))
    expect(after).toMatchObject({ status: 'done' })
    const [tx] = await handle.db.select().from(storeTransactions).where(eq(storeTransactions.id, row.refId))
    expect(tx).toMatchObject({ status: 'delivered' })
  })

  it('the same agent is refused everything of another license, the wildcard and stream/consumer admin', async () => {
    const mine = await createOpenStore(handle.db, { tag: 'ncmine' })
    const theirs = await createOpenStore(handle.db, { tag: 'nctheirs' })
    const agent = await agentFor(mine)
    const victim = await agentFor(theirs) // also makes sure the victim's consumers exist
    const row = await paidDelivery(theirs, 'Steve')
    const js = agent.nc.jetstream()

    // Reading the other license's consumer.
    await expect(js.consumers.get('CAIRN_AGENT', victim.creds.consumers.deliveries)).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.CONSUMER\.INFO\.CAIRN_AGENT\.agent_/)
    // Subscribing to every license's subjects.
    let error = nextError(agent.nc)
    agent.nc.subscribe('cairn.agent.>')
    expect(await error).toMatch(/Permissions Violation for Subscription to "cairn\.agent\.>"/)
    // Acking on the other license's subject (both the Cairn ack subject and the JetStream ack).
    error = nextError(agent.nc)
    agent.nc.publish(`cairn.agent.${theirs.license.id}.acks`, enc({ acks: [{ id: row.id, kind: 'delivery', status: 'done' }] }))
    expect(await error).toMatch(new RegExp(`Permissions Violation for Publish to "cairn\\.agent\\.${theirs.license.id}\\.acks"`))
    error = nextError(agent.nc)
    agent.nc.publish(`$JS.ACK.CAIRN_AGENT.${victim.creds.consumers.deliveries}.1.1.1.1.1`)
    expect(await error).toMatch(/Permissions Violation for Publish to "\$JS\.ACK\.CAIRN_AGENT\.agent_/)
    // Administration: streams and consumers.
    const jsm = await agent.nc.jetstreamManager({ checkAPI: false })
    await expect(jsm.streams.add({ name: 'EVIL', subjects: ['evil.>'] })).rejects.toThrow(/Permissions Violation/)
    await expect(jsm.streams.delete('CAIRN_AGENT')).rejects.toThrow(/Permissions Violation/)
    await expect(jsm.consumers.add('CAIRN_AGENT', { durable_name: 'evil', filter_subject: `cairn.agent.${theirs.license.id}.deliveries` })).rejects.toThrow(/Permissions Violation/)
    await expect(jsm.consumers.delete('CAIRN_AGENT', victim.creds.consumers.deliveries)).rejects.toThrow(/Permissions Violation/)
    await expect(jsm.consumers.delete('CAIRN_AGENT', agent.creds.consumers.deliveries)).rejects.toThrow(/Permissions Violation/)

    // Nothing of the victim's changed: its row is open and its own agent still gets the message.
    const [still] = await handle.db.select().from(deliveries).where(eq(deliveries.id, row.id))
    expect(still!.status).not.toBe('done')
    const consumer = await victim.nc.jetstream().consumers.get('CAIRN_AGENT', victim.creds.consumers.deliveries)
    const msg = await pollFor(async () => (await consumer.next({ expires: 2000 })) ?? undefined, { timeoutMs: 15_000, failure: () => 'victim got nothing' })
    expect(msg.headers?.get('Nats-Msg-Id')).toBe(row.id)
  })

  it('an expired JWT is refused at connect, and a live one ends at its expiry', async () => {
    const shop = await createOpenStore(handle.db, { tag: 'ncexp' })
    const env = testEnvWith({ ...nats.env, NATS_AGENT_TTL_S: '60' })
    const at = (ms: number) => createDeps({ db: handle.db, env, keys: testKeys, log: quietLog, clock: { now: () => new Date(ms) } })
    const key = createUserKey()
    // Minted two minutes ago with a one-minute TTL: expired a minute ago.
    const expired = await issueAgentNatsCredentials(at(Date.now() - 120_000), shop.license, key.getPublicKey())
    await expect(connect({ servers: nats.url, authenticator: jwtAuthenticator(expired.jwt, key.getSeed()), inboxPrefix: expired.inbox_prefix, reconnect: false }))
      .rejects.toThrow(/expired|Authorization Violation/i)
    // Minted 58 s ago: valid for about 2 s more; the server drops the connection at expiry.
    const live = await issueAgentNatsCredentials(at(Date.now() - 58_000), shop.license, key.getPublicKey())
    const nc = await connect({ servers: nats.url, authenticator: jwtAuthenticator(live.jwt, key.getSeed()), inboxPrefix: live.inbox_prefix, reconnect: false })
    open.push(nc)
    await expect(pollFor(() => (nc.isClosed() ? true : undefined), { timeoutMs: 10_000, failure: () => 'still connected after expiry' })).resolves.toBe(true)
  })

  it('a suspended or revoked license gets 401 and no credentials', async () => {
    for (const status of ['suspended', 'revoked'] as const) {
      const shop = await createOpenStore(handle.db, { tag: `nc${status.slice(0, 3)}` })
      await handle.db.update(licenses).set({ status }).where(eq(licenses.id, shop.license.id))
      const res = await http('/api/agent/nats-credentials', { token: shop.companionToken, body: { public_key: createUserKey().getPublicKey() } })
      expect(res.status).toBe(401)
      expect(res.body).not.toHaveProperty('jwt')
    }
    expect((await http('/api/agent/nats-credentials', { body: { public_key: createUserKey().getPublicKey() } })).status).toBe(401)
    expect((await http('/api/agent/nats-credentials', { token: `cairn_agent_${'x'.repeat(32)}`, body: { public_key: createUserKey().getPublicKey() } })).status).toBe(401)
  })

  it('anything but a user public key is a 400 naming public_key', async () => {
    const shop = await createOpenStore(handle.db, { tag: 'ncbad' })
    const user = createUserKey()
    const good = user.getPublicKey()
    const badChecksum = `${good.slice(0, 50)}${good.slice(50) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`
    for (const public_key of [undefined, 42, '', 'UABC', text(user.getSeed()), nats.env.NATS_AGENT_ACCOUNT, badChecksum]) {
      const res = await http<{ data: { issues: Array<{ path: string }> } }>('/api/agent/nats-credentials', { token: shop.companionToken, body: { public_key } })
      expect(res.status, String(public_key)).toBe(400)
      expect(res.body.data.issues.map(i => i.path)).toEqual(['public_key'])
    }
  })

  it(`is rate limited per license: ${AGENT_NATS_CREDENTIALS_PER_LICENSE.burst} at once, then 429 with Retry-After (other licenses unaffected)`, async () => {
    const shop = await createOpenStore(handle.db, { tag: 'ncrate' })
    const other = await createOpenStore(handle.db, { tag: 'ncrate2' })
    const ask = (s: StoreFixture) => http('/api/agent/nats-credentials', { token: s.companionToken, body: { public_key: createUserKey().getPublicKey() } })
    for (let i = 0; i < AGENT_NATS_CREDENTIALS_PER_LICENSE.burst; i++) expect((await ask(shop)).status).toBe(200)
    const limited = await ask(shop)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await ask(other)).status).toBe(200)
  })
})

describe.skipIf(inject('skipReason') !== '')('agent NATS credentials where none are issued', () => {
  it('answers 409 on a deployment without a signing key (plain NATS or none); a bad key is still a 400', async () => {
    const { db } = await serverDb()
    const shop = await createOpenStore(db, { tag: 'nc409' })
    const res = await call<{ message: string }>('/api/agent/nats-credentials', { token: shop.companionToken, body: { public_key: createUserKey().getPublicKey() } })
    expect(res.status).toBe(409)
    expect(res.body.message).toMatch(/HTTP queue/)
    expect((await call('/api/agent/nats-credentials', { token: shop.companionToken, body: { public_key: 'nope' } })).status).toBe(400)
    expect((await call('/api/agent/nats-credentials', { body: { public_key: createUserKey().getPublicKey() } })).status).toBe(401)
  })
})

describe('nats:setup', () => {
  it('never overwrites keys: a folder that is not empty is refused with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-nats-taken-'))
    try {
      writeFileSync(join(dir, 'operator.nk'), 'SOKEEP\n')
      const res = await runCli(['nats:setup', '--dir', dir], {})
      expect(res.code).toBe(2)
      expect(res.stderr).toMatch(/is not empty; nats:setup never overwrites keys/)
      expect(readFileSync(join(dir, 'operator.nk'), 'utf8')).toBe('SOKEEP\n')
      expect((await runCli(['nats:setup', '--dir', join(dir, 'x'), '--port', '70000'], {})).code).toBe(2)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
