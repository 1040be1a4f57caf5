import { twoFactorEnableSchema } from '../../../../shared/contracts/account'
import { enableTwoFactor } from '../../../domains/auth/two-factor'

export default defineEventHandler(async (event) => {
  const { user } = await requireUser(event)
  const { code } = await readInput(event, twoFactorEnableSchema)
  return { recovery_codes: await enableTwoFactor(await useDeps(), user, code) }
})
