import { login, loginSchema } from '../../domains/auth/login'
import { presentUser } from '../../domains/auth/users'

export default defineEventHandler(async (event) => {
  const input = await readInput(event, loginSchema)
  const ctx = await useAppContext()
  const { user, session } = await login({ db: ctx.db, sessionKey: ctx.keys.session, clock: ctx.clock, throttle: ctx.loginThrottle }, input, getClientIp(event))
  setSessionCookie(event, session)
  return { user: presentUser(user), token: session.token }
})
