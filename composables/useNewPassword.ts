import { PASSWORD_MIN_LENGTH } from '#shared/contracts/limits'

/** A new password typed twice (claim, reset, change): the length rule and the mismatch, as you type. */
export function useNewPassword() {
  const password = ref('')
  const confirm = ref('')
  const tooShort = computed(() => password.value.length > 0 && password.value.length < PASSWORD_MIN_LENGTH)
  const mismatch = computed(() => confirm.value.length > 0 && confirm.value !== password.value)
  const lengthRule = `At least ${PASSWORD_MIN_LENGTH} characters.`

  /** What is wrong before sending, or null. */
  function problem(): string | null {
    if (password.value.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`
    if (password.value !== confirm.value) return 'The two passwords differ.'
    return null
  }

  /** Submits `action` when both fields are right, else shows the problem on it. */
  function submitThrough(action: { invalid: (issues: Record<string, string>, message?: string) => void, submit: () => Promise<boolean> }) {
    const found = problem()
    if (found) action.invalid({}, found)
    else void action.submit()
  }

  function clear() {
    password.value = ''
    confirm.value = ''
  }

  return reactive({ password, confirm, tooShort, mismatch, lengthRule, minLength: PASSWORD_MIN_LENGTH, problem, submitThrough, clear })
}
