import { z } from 'zod'
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './limits'

// Field schemas the area contracts are built from. Request fields word their errors the way the
// API promises ("is required", "must be a string"); PostgreSQL text cannot hold NUL, so strings
// refuse it here rather than failing later as a 500.

// eslint-disable-next-line no-control-regex -- control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex -- NUL is what we refuse
const NUL = /\u0000/

const INT4_MAX = 2_147_483_647

/** `is required` for an absent field, else `must be <kind>`. */
export function typeError(kind: string) {
  return { error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`) }
}

/** A string field whose type errors read "is required" / "must be a string" instead of zod's wording. */
export const text = () => z.string(typeError('a string'))

export const emailSchema = text().trim().max(EMAIL_MAX_LENGTH).pipe(z.email({ message: 'must be a valid email address' }))
  .transform(e => e.toLowerCase())
export const passwordSchema = text()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
export const uuidSchema = z.uuid({ message: 'must be a UUID' })

/** One line of text, trimmed, `min`–`max` characters. */
export function lineText(min: number, max: number) {
  const length = min > 0 ? `must be ${min}–${max} characters` : `must be at most ${max} characters`
  return z.string(typeError('a string')).trim()
    .min(min, min === 1 ? 'is required' : length)
    .max(max, length)
    .refine(v => !CONTROL.test(v), 'must be a single line without control characters')
}

/** Free text (newlines allowed), at most `max` characters. */
export function longText(max: number) {
  return z.string(typeError('a string'))
    .max(max, `must be at most ${max} characters`)
    .refine(v => !NUL.test(v), 'must not contain NUL characters')
}

/** An integer within PostgreSQL's `integer` range (or a narrower one). */
export function intField(min = -INT4_MAX, max = INT4_MAX) {
  return z.number(typeError('a number')).int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
}

export const booleanField = z.boolean(typeError('true or false'))

// Response fields: what presenters produce (never parsed from clients).
export const isoTime = z.iso.datetime()
export const integer = z.number().int()
/** When a record was created and last changed, spread into the schemas of records that have both. */
export const timestamps = { created_at: isoTime, updated_at: isoTime }
