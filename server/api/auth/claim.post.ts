import { claimSchema } from '../../../shared/contracts/auth'
import { claim } from '../../domains/auth/login'
import { presentUser } from '../../domains/auth/users'

export default defineEventHandler(async (event) => {
  const input = await readInput(event, claimSchema)
  const { user, session, licenseId } = await claim(await useDeps(), input, signInClient(event))
  setSessionCookie(event, session)
  return { user: presentUser(user), token: session.token, license_id: licenseId }
})
