import { loginSchema } from '../../../shared/contracts/auth'
import { login } from '../../domains/auth/login'

/** 200 with a session, or with two-factor on, 200 `{ two_factor_required, challenge }` and no session yet. */
export default defineEventHandler(async (event) => {
  const input = await readInput(event, loginSchema)
  return replySignIn(event, await login(await useDeps(), input, signInClient(event)))
})
