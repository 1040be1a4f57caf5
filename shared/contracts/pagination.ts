import { z } from 'zod'
import { CURSOR_MAX_LENGTH, LIST_LIMIT_MAX } from './limits'

// The `?limit=` and `?cursor=` of every list: one rule set, so every list answers a bad page the same way.

export const INVALID_CURSOR_MESSAGE = 'is not a valid cursor: use next_cursor from a previous page'
const LIMIT_MESSAGE = `must be an integer from 1 to ${LIST_LIMIT_MAX}`

/** Query values arrive as strings; a repeated parameter arrives as an array. */
const queryValue = () => z.string({ error: 'must be given once' })

/** Spread into a list's query schema: `z.object({ status: ..., ...pageQueryFields })`. */
export const pageQueryFields = {
  limit: queryValue()
    .regex(/^\d{1,6}$/, LIMIT_MESSAGE)
    .transform(Number)
    .refine(n => n >= 1 && n <= LIST_LIMIT_MAX, LIMIT_MESSAGE)
    .optional(),
  cursor: queryValue().max(CURSOR_MAX_LENGTH, INVALID_CURSOR_MESSAGE).optional(),
}
