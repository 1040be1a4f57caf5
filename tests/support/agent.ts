import { connect, type ConsumerMessages, type NatsConnection, type Subscription } from 'nats'
import { AGENT_STREAM, agentConsumerName, ackSubject, subjectFor } from '../../server/integrations/nats/subjects'
import { ensureAgentConsumer, ensureAgentStream } from '../../server/integrations/nats/jetstream'
import { logger } from '../../server/platform/logger'
import { pollFor } from './poll'

// A test companion agent on NATS: reads its license's durable JetStream consumer (what a real
// agent does), also watches the core subject to count raw publishes, and acks on the acks subject.

export interface AgentMessage {
  id: string
  transaction_id?: string
  player?: { name: string, uuid: string | null }
  commands?: Array<{ command: string, require_online: boolean }>
  created_at?: string
  [key: string]: unknown
}

export interface TestAgent {
  /** Messages from the durable consumer, in arrival order (not de-duplicated). */
  received: AgentMessage[]
  /** Raw publishes seen by a core subscriber on the deliveries subject. */
  corePublishes: AgentMessage[]
  waitFor(predicate: (m: AgentMessage) => boolean, timeoutMs?: number): Promise<AgentMessage>
  ack(id: string, status?: 'done' | 'failed', kind?: 'delivery' | 'module_install'): Promise<{ ok: boolean, results?: Array<{ id: string, result: string }> }>
  close(): Promise<void>
}

const quiet = { ...logger, info: () => {} }

export async function startTestAgent(natsUrl: string, licenseId: string): Promise<TestAgent> {
  const nc: NatsConnection = await connect({ servers: natsUrl, name: `test-agent-${licenseId}` })
  const jsm = await ensureAgentStream(nc, quiet)
  await ensureAgentConsumer(jsm, licenseId)
  const consumer = await nc.jetstream().consumers.get(AGENT_STREAM, agentConsumerName(licenseId))
  const received: AgentMessage[] = []
  const corePublishes: AgentMessage[] = []
  const decode = (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as AgentMessage
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 100 })
  void (async () => {
    for await (const m of messages) {
      received.push(decode(m.data))
      m.ack()
    }
  })().catch(() => {})
  const core: Subscription = nc.subscribe(subjectFor('delivery', licenseId))
  void (async () => {
    for await (const m of core) corePublishes.push(decode(m.data))
  })().catch(() => {})

  return {
    received,
    corePublishes,
    waitFor(predicate, timeoutMs = 15_000) {
      return pollFor(() => received.find(predicate), {
        timeoutMs,
        failure: () => `agent ${licenseId}: expected message not received within ${timeoutMs} ms (got ${received.length})`,
      })
    },
    async ack(id, status = 'done', kind = 'delivery') {
      const reply = await nc.request(ackSubject(licenseId), new TextEncoder().encode(JSON.stringify({ acks: [{ id, kind, status }] })), { timeout: 5000 })
      return JSON.parse(new TextDecoder().decode(reply.data)) as { ok: boolean, results?: Array<{ id: string, result: string }> }
    },
    async close() {
      messages.stop()
      core.unsubscribe()
      await nc.drain().catch(() => {})
    },
  }
}

