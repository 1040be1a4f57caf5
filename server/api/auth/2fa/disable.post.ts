import { twoFactorDisableSchema } from '../../../../shared/contracts/account'
import { disableTwoFactor } from '../../../domains/auth/two-factor'

export default defineEventHandler(async (event) => {
  const { user, sessionId } = await requireUser(event)
  const input = await readInput(event, twoFactorDisableSchema)
  await disableTwoFactor(await useDeps(), user, sessionId, input, getClientIp(event))
  return {}
})
