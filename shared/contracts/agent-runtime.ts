import { z } from 'zod'
import { isoTime } from './fields'
import { AGENT_QUEUE_WAIT_MAX_SECONDS } from './limits'

// The shipped agent's own calls beside the message contract (./agent.ts): the long-poll query,
// its heartbeat, and what the owner panel shows about it.

export const agentQueueQuerySchema = z.object({
  wait: z.coerce.number({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds')
    .min(0, 'must be at least 0').max(AGENT_QUEUE_WAIT_MAX_SECONDS, `must be at most ${AGENT_QUEUE_WAIT_MAX_SECONDS}`).optional()
    .meta({ description: `Hold the request up to this many seconds (0–${AGENT_QUEUE_WAIT_MAX_SECONDS}) until a message is waiting; default 0 (answer at once)` }),
})

export const agentHeartbeatInputSchema = z.object({
  version: z.string({ error: 'must be a string' }).trim().regex(/^[\w.+-]{1,64}$/, 'must be a version such as 1.2.3 (at most 64 characters)'),
  executor: z.string({ error: 'must be a string' }).regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a short lower-case name such as rcon or stdout'),
})
export type AgentHeartbeatInput = z.output<typeof agentHeartbeatInputSchema>

export const agentStatusSchema = z.strictObject({
  online: z.boolean().meta({ description: 'A heartbeat arrived within the last few minutes' }),
  last_seen_at: isoTime.nullable(),
  version: z.string().nullable(),
  executor: z.string().nullable(),
}).meta({ title: 'AgentStatus' })
export type AgentStatus = z.output<typeof agentStatusSchema>

/** GET /api/license/agent */
export const agentStatusResponseSchema = z.strictObject({ agent: agentStatusSchema })
