import { apiIssues, apiMissing, apiStatus } from '#shared/rules/api-errors'
import type { EnableRequirement } from '#shared/contracts/enums'

/** What a failed API call said (its JSON error body `{ statusCode, message, data: { issues, missing } }`). */
export interface ApiErrorInfo {
  status: number | undefined
  /** The server's `message`, when it sent one. */
  message: string | undefined
  /** `data.issues` as `{ path: message }` (`commands.0.command`, `price_cents`, ...). */
  issues: Record<string, string>
  /** `data.missing`: what a refused `enabled: true` still needs. */
  missing: EnableRequirement[]
}

export function readApiError(error: unknown): ApiErrorInfo {
  const message = (error as { data?: { message?: unknown } } | null)?.data?.message
  return {
    status: apiStatus(error),
    message: typeof message === 'string' ? message : undefined,
    issues: apiIssues(error),
    missing: apiMissing(error),
  }
}

/** The readable message of a failed API call. */
export function apiErrorMessage(error: unknown, fallback = 'Something went wrong, please try again.'): string {
  return readApiError(error).message ?? fallback
}
