import { passwordChangeSchema } from '../../../shared/contracts/account'
import { changePassword } from '../../domains/auth/password'

export default defineEventHandler(async (event) => {
  const { user, sessionId } = await requireUser(event)
  const input = await readInput(event, passwordChangeSchema)
  const revoked = await changePassword(await useDeps(), user, sessionId, input, getClientIp(event))
  return { revoked_sessions: revoked }
})
