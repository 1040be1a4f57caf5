import { ENABLE_REQUIREMENTS, type EnableRequirement } from '../contracts/enums'

// Reading the API's error body (`{ statusCode, message, data: { issues, missing? } }`, see
// shared/contracts/errors.ts) out of a failed `$fetch` call, for forms that show field errors.

/** The `data` of a 400: each offending field, and for a refused `enabled: true` what is missing. */
export interface ApiErrorData {
  issues?: { path: string, message: string }[]
  missing?: EnableRequirement[]
}

function errorData(error: unknown): ApiErrorData | undefined {
  const data = (error as { data?: { data?: unknown } } | null)?.data?.data
  return data && typeof data === 'object' ? data as ApiErrorData : undefined
}

/** `data.issues` of a failed call as `{ path: message }` (first message per path). */
export function apiIssues(error: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of errorData(error)?.issues ?? []) out[issue.path] ??= issue.message
  return out
}

/** `data.missing` of a refused `enabled: true`, or an empty list. */
export function apiMissing(error: unknown): EnableRequirement[] {
  const missing = errorData(error)?.missing
  return Array.isArray(missing) ? missing.filter((m): m is EnableRequirement => (ENABLE_REQUIREMENTS as readonly string[]).includes(m)) : []
}

export function apiStatus(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown, status?: unknown } | null
  const status = e?.statusCode ?? e?.status
  return typeof status === 'number' ? status : undefined
}
