import { z } from 'zod'
import { ACK_RESULTS, ACK_STATUSES, OUTBOX_KINDS } from './enums'
import { isoTime } from './fields'
import { moduleVersionFields } from './modules'
import { ACK_DETAIL_MAX_LENGTH, ACKS_PER_CALL_MAX } from './limits'

// The companion agent's messages and acks: the same JSON over NATS and the HTTP queue
// (docs/agent-contract.md, with a JSON Schema for each in docs/schemas/).

export const deliveryMessageSchema = z.strictObject({
  id: z.uuid().meta({ description: 'De-duplicate by this id; acknowledge with kind "delivery"' }),
  transaction_id: z.uuid(),
  player: z.strictObject({ name: z.string(), uuid: z.uuid().nullable() }),
  commands: z.array(z.strictObject({ command: z.string().meta({ description: 'Placeholders already filled' }), require_online: z.boolean() })),
  created_at: isoTime,
}).meta({ title: 'DeliveryMessage' })
export type DeliveryMessage = z.output<typeof deliveryMessageSchema>

export const moduleInstallMessageSchema = z.strictObject({
  id: z.uuid().meta({ description: 'Also the install id of GET /api/modules/installs/{id}; acknowledge with kind "module_install"' }),
  ...moduleVersionFields,
  download_url: z.string(),
  sha256: z.string().meta({ description: 'Hex SHA-256 of the file at download_url' }),
  filename: z.string().meta({ description: 'Install as this file name (`<module_id>-<version><ext>`); agents refuse one with a path separator or `..`' }),
}).meta({ title: 'ModuleInstallMessage' })
export type ModuleInstallMessage = z.output<typeof moduleInstallMessageSchema>

/** What an outbox row carries (its `payload`), frozen when the row is written. */
export type AgentMessage = DeliveryMessage | ModuleInstallMessage

/** GET /api/agent/queue: the license's unacknowledged messages. */
export const agentQueueSchema = z.strictObject({
  deliveries: z.array(deliveryMessageSchema),
  module_installs: z.array(moduleInstallMessageSchema),
})
export type AgentQueue = z.output<typeof agentQueueSchema>

const ackSchema = z.object({
  id: z.uuid({ message: 'must be a UUID' }),
  kind: z.enum(OUTBOX_KINDS, { error: 'must be "delivery" or "module_install"' }),
  status: z.enum(ACK_STATUSES, { error: 'must be "done" or "failed"' }),
  detail: z.string().max(ACK_DETAIL_MAX_LENGTH, `must be at most ${ACK_DETAIL_MAX_LENGTH} characters`).optional(),
})
export type AgentAck = z.output<typeof ackSchema>

export const acksInputSchema = z.object({
  acks: z.array(ackSchema).min(1, 'must list at least one ack').max(ACKS_PER_CALL_MAX, `must list at most ${ACKS_PER_CALL_MAX} acks`),
})

/** An ack published on NATS: the HTTP body, or a single ack on its own. */
export const natsAckBodySchema = z.union([acksInputSchema, ackSchema.transform(ack => ({ acks: [ack] }))])

const ackOutcomeSchema = z.strictObject({ id: z.uuid(), result: z.enum(ACK_RESULTS) })
export type AckOutcome = z.output<typeof ackOutcomeSchema>

export const ackResultsSchema = z.strictObject({ acks: z.array(ackOutcomeSchema) })

// POST /api/agent/nats-credentials (API.md, "Agent NATS credentials"). The shape of a user public
// key is checked here; its checksum on the server (nkeys), which answers with the same field.
export const natsCredentialsInputSchema = z.object({
  public_key: z.string({ error: issue => (issue.input === undefined ? 'is required' : 'must be a string') })
    .regex(/^U[A-Z2-7]{55}$/, 'must be a NATS user public key (U..., 56 characters): the agent\'s own nkey, never its seed')
    .meta({ description: 'The agent\'s own user nkey (public part); the seed never leaves the agent' }),
})
export type NatsCredentialsInput = z.output<typeof natsCredentialsInputSchema>

export const natsCredentialsSchema = z.strictObject({
  servers: z.array(z.string()).min(1).meta({ description: 'NATS URLs to connect to' }),
  jwt: z.string().meta({ description: 'User JWT signed with the account signing key; connect with it and the agent\'s own seed' }),
  inbox_prefix: z.string().meta({ description: 'Required client inboxPrefix: `_INBOX_<license_id>`' }),
  expires_at: isoTime.meta({ description: 'When the JWT expires (the server drops the connection then): renew before' }),
  stream: z.literal('CAIRN_AGENT'),
  consumers: z.strictObject({ deliveries: z.string(), modules: z.string() }),
  ack_subject: z.string(),
}).meta({ title: 'NatsCredentials' })
export type NatsCredentials = z.output<typeof natsCredentialsSchema>
