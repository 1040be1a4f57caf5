import { passwordResetConfirmSchema } from '../../../../shared/contracts/account'
import { confirmPasswordReset } from '../../../domains/auth/password'

export default defineEventHandler(async (event) => {
  const input = await readInput(event, passwordResetConfirmSchema)
  return replySignIn(event, await confirmPasswordReset(await useDeps(), input, signInClient(event)))
})
