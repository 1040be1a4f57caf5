import { readFileSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import { connect, credsAuthenticator, type NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliveries } from '../../server/db/schema'
import { OutboxRelay } from '../../server/domains/agent/relay'
import { NatsLink } from '../../server/integrations/nats/connection'
import { ensureAgentStream } from '../../server/integrations/nats/jetstream'
import { subjectFor } from '../../server/integrations/nats/subjects'
import { AGENT_RESEND_FIRST_SECONDS, AGENT_STREAM_MAX_MSGS_PER_SUBJECT } from '../../shared/contracts/limits'
import { quietLog } from '../support/deps'
import { createOwnerLicense } from '../support/licenses'
import { natsServerAvailable, startOperatorNats, type OperatorNats } from '../support/operator-nats'
import { useTestDatabase } from '../support/test-database'

// A license's subject on CAIRN_AGENT holds at most AGENT_STREAM_MAX_MSGS_PER_SUBJECT messages
// (e.g. garbage an agent made JetStream answer into it). A delivery published then is refused,
// not silently dropped, and older messages stay: the relay keeps the row queued, offers it again
// after AGENT_RESEND_FIRST_SECONDS, and publishes it once the subject has room.

const t = useTestDatabase('cairn_subject_cap')
let nats: OperatorNats
let cairn: NatsConnection
let link: NatsLink

describe.skipIf(!natsServerAvailable())('CAIRN_AGENT per-subject cap', () => {
  beforeAll(async () => {
    nats = await startOperatorNats()
    cairn = await connect({ servers: nats.url, authenticator: credsAuthenticator(readFileSync(nats.env.NATS_CREDS!)) })
    link = new NatsLink(nats.url, quietLog, nats.env.NATS_CREDS)
    await link.connection()
  }, 60_000)
  afterAll(async () => {
    await link?.close()
    await cairn?.close()
    await nats?.stop()
  })

  it('a delivery for a full subject stays queued and goes out once the subject has room; nothing older is dropped', async () => {
    const { license } = await createOwnerLicense(t.deps, 'cap')
    const subject = subjectFor('delivery', license.id)
    const jsm = await ensureAgentStream(cairn, quietLog)
    const js = cairn.jetstream()
    const junk = new TextEncoder().encode('{"not":"a delivery"}')
    for (let i = 0; i < AGENT_STREAM_MAX_MSGS_PER_SUBJECT; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, AGENT_STREAM_MAX_MSGS_PER_SUBJECT - i) }, (_, k) => js.publish(subject, junk, { msgID: `junk-${i + k}` })))
    }
    const lastJunk = await jsm.streams.getMessage('CAIRN_AGENT', { last_by_subj: subject })

    const now = new Date('2026-03-05T12:00:00Z')
    t.clock.set(now)
    const id = globalThis.crypto.randomUUID()
    await t.db.insert(deliveries).values({
      id, licenseId: license.id, kind: 'delivery', refId: globalThis.crypto.randomUUID(), nextAttemptAt: now,
      payload: { id, transaction_id: globalThis.crypto.randomUUID(), player: { name: 'Steve', uuid: null }, commands: [], created_at: now.toISOString() },
    })
    const relay = new OutboxRelay({ ...t.deps, nats: link })
    await relay.tick()
    const [held] = await t.db.select().from(deliveries).where(eq(deliveries.id, id))
    expect(held).toMatchObject({ status: 'pending', attempts: 0, sentAt: null })
    expect(held!.nextAttemptAt.getTime()).toBe(now.getTime() + AGENT_RESEND_FIRST_SECONDS * 1000)
    expect((await jsm.streams.getMessage('CAIRN_AGENT', { last_by_subj: subject })).seq).toBe(lastJunk.seq)
    expect((await jsm.streams.info('CAIRN_AGENT', { subjects_filter: subject })).state.subjects?.[subject]).toBe(AGENT_STREAM_MAX_MSGS_PER_SUBJECT)

    // Not due yet: the next tick leaves it alone.
    await relay.tick()
    expect((await t.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!.status).toBe('pending')

    // The agent drained the subject (here: a purge); once due again the delivery goes out.
    await jsm.streams.purge('CAIRN_AGENT', { filter: subject })
    t.clock.advance(AGENT_RESEND_FIRST_SECONDS * 1000)
    await relay.tick()
    expect((await t.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]).toMatchObject({ status: 'sent', attempts: 1 })
    const published = await jsm.streams.getMessage('CAIRN_AGENT', { last_by_subj: subject })
    expect(published.header.get('Nats-Msg-Id')).toBe(id)
  }, 60_000)
})
