import { z } from 'zod'
import { NotFound } from '../../platform/errors'
import { UUID_RE } from '../../platform/validation'

// Field schemas shared by the webstore services. PostgreSQL text cannot hold NUL, so every
// string refuses it here rather than failing later as a 500.

// eslint-disable-next-line no-control-regex -- control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex -- NUL is what we refuse
const NUL = /\u0000/

const INT4_MAX = 2_147_483_647

/** `is required` for an absent field, else `must be <kind>`. */
function typeError(kind: string) {
  return { error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`) }
}

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


/** A route's `:id`: anything that is not a UUID cannot name a resource, so it is a 404, not a 400. */
export function resourceId(raw: string | undefined, what: string): string {
  if (!raw || !UUID_RE.test(raw)) throw new NotFound(what)
  return raw.toLowerCase()
}
