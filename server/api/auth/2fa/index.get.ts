import { twoFactorStatus } from '../../../domains/auth/two-factor'

export default defineEventHandler(async (event) => {
  const { user } = await requireUser(event)
  return twoFactorStatus(await useDeps(), user.id)
})
