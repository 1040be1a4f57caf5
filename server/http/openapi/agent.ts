import { ackResultsSchema, acksInputSchema, agentQueueSchema, natsCredentialsInputSchema, natsCredentialsSchema } from '../../../shared/contracts/agent'
import { ACKS_PER_CALL_MAX, AGENT_NATS_CREDENTIALS_PER_LICENSE, AGENT_QUEUE_BATCH, describeRate } from '../../../shared/contracts/limits'
import { apiArea, rateLimited } from './registry'
import { agentQueueQuerySchema } from '../../../shared/contracts/agent-runtime'

// The companion agent's HTTP fallback (docs/agent-contract.md; JSON Schemas in docs/schemas/).

const agent = apiArea({ tags: ['Companion agent'], security: 'companionToken' })
const refused = { description: 'Missing, unknown or malformed companion token, or the license is suspended or revoked' }

export const deliveryOperations = [
  agent.get('/api/agent/queue', 'agentQueue', 'Unacknowledged deliveries and module installs (HTTP fallback for NATS)', {
    description: `Oldest first, at most ${AGENT_QUEUE_BATCH} per call. Messages stay listed until acknowledged (at-least-once): de-duplicate by id. With \`wait\` the request is held until a message is waiting for the agent (new, or due to be sent again) or the seconds pass; a delivery written meanwhile on any replica is returned within a second (PostgreSQL LISTEN/NOTIFY).`,
    query: agentQueueQuerySchema,
    responses: { 200: { description: 'Open messages of this agent\'s license', schema: agentQueueSchema }, 401: refused },
  }),
  agent.post('/api/agent/acks', 'agentAcks', `Acknowledge deliveries and module installs (1–${ACKS_PER_CALL_MAX} per call)`, {
    description: 'An ack only touches messages of the token\'s license. A delivery acked `done` marks its transaction delivered, `failed` marks it failed. Acking again is a no-op (`duplicate`); an id that is not an open message of this license is `unknown`.',
    body: { schema: acksInputSchema, examples: { done: { acks: [{ id: '3f0b8f5e-2a0c-4c1e-9a57-0d4e1c6b2f10', kind: 'delivery', status: 'done' }] } } },
    responses: { 200: { description: 'One result per ack, in request order', schema: ackResultsSchema }, 401: refused },
  }),
  agent.post('/api/agent/nats-credentials', 'agentNatsCredentials', 'Short-lived NATS credentials that reach only this license (operator-mode NATS)', {
    description: 'The agent makes its own user nkey and sends the public key; the seed never leaves the agent. The answer is a user JWT signed with the account signing key, valid for `NATS_AGENT_TTL_S` seconds (renew before `expires_at`), that may only publish to this license\'s two consumers\' `$JS.API.CONSUMER.INFO` / `$JS.API.CONSUMER.MSG.NEXT` subjects, their `$JS.ACK.CAIRN_AGENT.<consumer>.>` subjects and `ack_subject`, and subscribe to `<inbox_prefix>.>`. Connect with `inboxPrefix` set to `inbox_prefix`. A suspended or revoked license gets no new credentials, so its access ends within the TTL. '
      + `Rate limited per license: ${describeRate(AGENT_NATS_CREDENTIALS_PER_LICENSE)}.`,
    body: { schema: natsCredentialsInputSchema, examples: { agent: { public_key: 'UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4' } } },
    responses: {
      200: { description: 'Credentials for this agent\'s license (never a seed)', schema: natsCredentialsSchema },
      400: { description: '`public_key` is not a NATS user public key (`data.issues` names it)' },
      401: refused,
      409: { description: 'This deployment issues no NATS credentials (no signing key configured): use the HTTP queue' },
      429: rateLimited('Too many credential requests for this license'),
    },
  }),
]
