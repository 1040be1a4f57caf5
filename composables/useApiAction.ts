import type { EnableRequirement } from '#shared/contracts/enums'
import { readApiError, type ApiErrorInfo } from './apiError'

export interface ApiActionOptions<A extends unknown[], R> {
  /** Shown when the call fails and the API sent no message (a network error, a 502...). */
  fallback?: string
  /** Our own wording for some statuses (429, 401...), used instead of the API's message. */
  statusMessages?: Partial<Record<number, string>>
  /** Shown above the fields when the 400 lists per-field `issues`. */
  issuesMessage?: string
  /** Shown above the `missing` list when the API refuses with `data.missing`. */
  missingMessage?: string
  /** Runs after a success; a returned string becomes the `notice`. */
  onSuccess?: (result: R, ...args: A) => unknown
  /** Runs after a failure (after the error state is set), e.g. to reload stale data. */
  onError?: (error: unknown) => unknown
  /** Names the call in flight (`busyKey`), e.g. the id of the row being deleted. */
  key?: (...args: A) => string
}

/**
 * The state around one API call that a form or button makes: `busy` while it runs, then either a
 * `notice` or an `error` with the API's per-field messages (`fieldErrors`, from `data.issues`)
 * and `missing` requirements. `submit` resolves to whether the call succeeded.
 */
export function useApiAction<A extends unknown[], R>(action: (...args: A) => Promise<R>, options: ApiActionOptions<A, R> = {}) {
  const busy = ref(false)
  const busyKey = ref<string | null>(null)
  const error = ref('')
  const fieldErrors = ref<Record<string, string>>({})
  const missing = ref<EnableRequirement[]>([])
  const notice = ref('')
  const status = ref<number | undefined>()

  function reset() {
    error.value = ''
    fieldErrors.value = {}
    missing.value = []
    notice.value = ''
    status.value = undefined
  }

  function show(info: ApiErrorInfo) {
    status.value = info.status
    fieldErrors.value = info.issues
    missing.value = info.missing
    const byStatus = info.status === undefined ? undefined : options.statusMessages?.[info.status]
    if (byStatus) error.value = byStatus
    else if (info.missing.length && options.missingMessage) error.value = options.missingMessage
    else if (Object.keys(info.issues).length && options.issuesMessage) error.value = options.issuesMessage
    else error.value = info.message ?? options.fallback ?? 'Something went wrong, please try again.'
  }

  /** Shows what a failed call said. */
  function fail(reason: unknown) {
    show(readApiError(reason))
  }

  /** Shows problems found before calling: per-field messages and/or one message. */
  function invalid(issues: Record<string, string>, message?: string) {
    reset()
    show({ status: undefined, message, issues, missing: [] })
  }

  async function submit(...args: A): Promise<boolean> {
    reset()
    busy.value = true
    busyKey.value = options.key?.(...args) ?? null
    try {
      const result = await action(...args)
      const text = await options.onSuccess?.(result, ...args)
      if (typeof text === 'string') notice.value = text
      return true
    }
    catch (e) {
      fail(e)
      await options.onError?.(e)
      return false
    }
    finally {
      busy.value = false
      busyKey.value = null
    }
  }

  // One reactive object: templates read `action.busy`, `action.error` directly.
  return reactive({ submit, busy, busyKey, error, fieldErrors, missing, notice, status, reset, fail, invalid })
}
