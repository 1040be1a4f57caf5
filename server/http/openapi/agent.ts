import { ackResultsSchema, acksInputSchema, agentQueueSchema } from '../../../shared/contracts/agent'
import { ACKS_PER_CALL_MAX, AGENT_QUEUE_BATCH } from '../../../shared/contracts/limits'
import { apiArea } from './registry'

// The companion agent's HTTP fallback (docs/agent-contract.md; JSON Schemas in docs/schemas/).

const agent = apiArea({ tags: ['Companion agent'], security: 'companionToken' })
const refused = { description: 'Missing, unknown or malformed companion token, or the license is suspended or revoked' }

export const deliveryOperations = [
  agent.get('/api/agent/queue', 'agentQueue', 'Unacknowledged deliveries and module installs (HTTP fallback for NATS)', {
    description: `Oldest first, at most ${AGENT_QUEUE_BATCH} per call. Messages stay listed until acknowledged (at-least-once): de-duplicate by id.`,
    responses: { 200: { description: 'Open messages of this agent\'s license', schema: agentQueueSchema }, 401: refused },
  }),
  agent.post('/api/agent/acks', 'agentAcks', `Acknowledge deliveries and module installs (1–${ACKS_PER_CALL_MAX} per call)`, {
    description: 'An ack only touches messages of the token\'s license. A delivery acked `done` marks its transaction delivered, `failed` marks it failed. Acking again is a no-op (`duplicate`); an id that is not an open message of this license is `unknown`.',
    body: { schema: acksInputSchema, examples: { done: { acks: [{ id: '3f0b8f5e-2a0c-4c1e-9a57-0d4e1c6b2f10', kind: 'delivery', status: 'done' }] } } },
    responses: { 200: { description: 'One result per ack, in request order', schema: ackResultsSchema }, 401: refused },
  }),
]
