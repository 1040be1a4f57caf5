import { z } from 'zod'
import { NATS_HEALTH } from './enums'

// GET /api/health: no auth, no versions, no secrets.

export const healthSchema = z.strictObject({
  status: z.enum(['ok', 'error']),
  db: z.enum(['ok', 'down']),
  nats: z.enum(NATS_HEALTH),
})
export type Health = z.output<typeof healthSchema>

/** 200: the database answers (NATS being down does not fail the check). */
export const healthyResponseSchema = healthSchema.extend({ status: z.literal('ok'), db: z.literal('ok') })
/** 503: the database is unreachable. */
export const unhealthyResponseSchema = healthSchema.extend({ status: z.literal('error'), db: z.literal('down') })
