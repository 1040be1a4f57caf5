import { z } from 'zod'
import { InvalidInput, type Issue } from './errors'

export function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.')
    return { path, message: issue.message }
  })
}

/** Parses `input` or throws a 400 naming every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) throw new InvalidInput(zodIssues(result.error, prefix))
  return result.data
}

/** A string field whose type errors read "is required" / "must be a string" instead of zod's wording. */
export const text = () => z.string({ error: issue => issue.input === undefined ? 'is required' : 'must be a string' })

// Shared field schemas.
export const emailSchema = text().trim().max(254).pipe(z.email({ message: 'must be a valid email address' }))
  .transform(e => e.toLowerCase())
export const passwordSchema = text().min(10, 'must be at least 10 characters').max(1024, 'must be at most 1024 characters')
export const uuidSchema = z.uuid({ message: 'must be a UUID' })
/** Any 8-4-4-4-12 hex id, either case: route ids and tokens' claims are matched against it. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
