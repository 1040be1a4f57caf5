import { twoFactorVerifySchema } from '../../../../shared/contracts/account'
import { verifyTwoFactor } from '../../../domains/auth/two-factor'

export default defineEventHandler(async (event) => {
  const input = await readInput(event, twoFactorVerifySchema)
  const { user, session } = await verifyTwoFactor(await useDeps(), input, signInClient(event))
  return replySignIn(event, { kind: 'session', user, session })
})
