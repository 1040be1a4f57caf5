import { claim, claimSchema } from '../../domains/auth/login'
import { presentUser } from '../../domains/auth/users'

export default defineEventHandler(async (event) => {
  const input = await readInput(event, claimSchema)
  const ctx = await useAppContext()
  const { user, session, licenseId } = await claim({ db: ctx.db, sessionKey: ctx.keys.session, clock: ctx.clock }, input)
  setSessionCookie(event, session)
  return { user: presentUser(user), token: session.token, license_id: licenseId }
})
