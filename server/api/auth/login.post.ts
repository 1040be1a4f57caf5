import { loginSchema } from '../../../shared/contracts/auth'
import { login } from '../../domains/auth/login'
import { presentUser } from '../../domains/auth/users'

export default defineEventHandler(async (event) => {
  const input = await readInput(event, loginSchema)
  const { user, session } = await login(await useDeps(), input, getClientIp(event))
  setSessionCookie(event, session)
  return { user: presentUser(user), token: session.token }
})
