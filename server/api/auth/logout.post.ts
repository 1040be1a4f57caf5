import { revokeSession } from '../../domains/auth/sessions'

/** Revokes the session (the JWT stops working everywhere) and clears the cookie. Idempotent. */
export default defineEventHandler(async (event) => {
  const deps = await useDeps()
  try {
    const { sessionId } = await requireUser(event)
    await revokeSession(deps, sessionId)
  }
  catch (error) {
    // Signing out without a valid session is still a successful sign-out; CSRF (403) is not, and a
    // failed revocation (database down) must not answer 204 while the session stays live.
    if ((error as { statusCode?: number }).statusCode !== 401) throw error
  }
  clearSessionCookie(event)
  setResponseStatus(event, 204)
  return null
})
