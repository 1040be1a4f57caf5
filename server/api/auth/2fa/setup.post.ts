import { setupTwoFactor } from '../../../domains/auth/two-factor'

export default defineEventHandler(async (event) => {
  const { user } = await requireUser(event)
  return setupTwoFactor(await useDeps(), user)
})
