import { passwordResetRequestSchema } from '../../../../shared/contracts/account'
import { requestPasswordReset } from '../../../domains/auth/password'

/** 202 `{}` for every address: whether it has an account is never said (the mail worker decides). */
export default defineEventHandler(async (event) => {
  const input = await readInput(event, passwordResetRequestSchema)
  await requestPasswordReset(await useDeps(), input, getClientIp(event))
  setResponseStatus(event, 202)
  return {}
})
