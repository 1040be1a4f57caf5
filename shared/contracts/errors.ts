import { z } from 'zod'
import { ENABLE_REQUIREMENTS } from './enums'
import { integer } from './fields'

// The one error body every /api/** failure answers (server/http/error-handler.ts).

const issueSchema = z.strictObject({ path: z.string(), message: z.string() })

export const errorSchema = z.object({
  statusCode: integer,
  message: z.string(),
  data: z.object({
    issues: z.array(issueSchema).optional(),
  }).catchall(z.unknown()).optional(),
}).meta({ description: 'Every error: the status code, a readable message and, for 400, the offending fields.' })

/** PUT /api/webstore/config's 400: field issues, plus `missing` when `enabled: true` is refused. */
export const enableRefusedSchema = z.object({
  statusCode: z.literal(400),
  message: z.string(),
  data: z.object({
    issues: z.array(issueSchema),
    missing: z.array(z.enum(ENABLE_REQUIREMENTS)).optional().meta({ description: 'Present when `enabled: true` is refused: every unmet requirement, in this order' }),
  }),
})
