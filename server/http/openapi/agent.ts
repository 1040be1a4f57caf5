import { z } from 'zod'
import type { OperationSpec } from './registry'
import { acksInputSchema } from '../../domains/agent/acks'

// The companion agent's HTTP fallback in the OpenAPI document. The request schema is the one the
// route validates with; the messages match buildDeliveryMessage / buildInstallMessage and the
// JSON Schemas in docs/schemas/.

const deliveryMessageSchema = z.object({
  id: z.uuid().meta({ description: 'De-duplicate by this id; acknowledge with kind "delivery"' }),
  transaction_id: z.uuid(),
  player: z.object({ name: z.string(), uuid: z.uuid().nullable() }),
  commands: z.array(z.object({ command: z.string().meta({ description: 'Placeholders already filled' }), require_online: z.boolean() })),
  created_at: z.string().meta({ format: 'date-time' }),
}).meta({ title: 'DeliveryMessage' })

const moduleInstallMessageSchema = z.object({
  id: z.uuid().meta({ description: 'Also the install id of GET /api/modules/installs/{id}; acknowledge with kind "module_install"' }),
  module_id: z.string(),
  version: z.string(),
  download_url: z.string(),
  sha256: z.string().meta({ description: 'Hex SHA-256 of the file at download_url' }),
}).meta({ title: 'ModuleInstallMessage' })

const tags = ['Companion agent']
const security = ['companionToken' as const]
const refused = { description: 'Missing, unknown or malformed companion token, or the license is suspended or revoked' }

export const deliveryOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/api/agent/queue',
    operationId: 'agentQueue',
    summary: 'Unacknowledged deliveries and module installs (HTTP fallback for NATS)',
    description: 'Oldest first, at most 100 per call. Messages stay listed until acknowledged (at-least-once): de-duplicate by id.',
    tags,
    security,
    responses: {
      200: { description: 'Open messages of this agent\'s license', schema: z.object({ deliveries: z.array(deliveryMessageSchema), module_installs: z.array(moduleInstallMessageSchema) }) },
      401: refused,
    },
  },
  {
    method: 'post',
    path: '/api/agent/acks',
    operationId: 'agentAcks',
    summary: 'Acknowledge deliveries and module installs (1–500 per call)',
    description: 'An ack only touches messages of the token\'s license. A delivery acked `done` marks its transaction delivered, `failed` marks it failed. Acking again is a no-op (`duplicate`); an id that is not an open message of this license is `unknown`.',
    tags,
    security,
    body: { schema: acksInputSchema, examples: { done: { acks: [{ id: '3f0b8f5e-2a0c-4c1e-9a57-0d4e1c6b2f10', kind: 'delivery', status: 'done' }] } } },
    responses: {
      200: { description: 'One result per ack, in request order', schema: z.object({ acks: z.array(z.object({ id: z.uuid(), result: z.enum(['applied', 'duplicate', 'unknown']) })) }) },
      401: refused,
    },
  },
]
