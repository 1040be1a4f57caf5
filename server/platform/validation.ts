import type { z } from 'zod'
import { InvalidInput, type Issue } from './errors'

function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
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
