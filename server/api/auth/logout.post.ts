import { revokeSession } from '../../services/sessions'

/** Revokes the session (the JWT stops working everywhere) and clears the cookie. Idempotent. */
export default defineEventHandler(async (event) => {
  const ctx = await useAppContext()
  try {
    const { sessionId } = await requireUser(event)
    await revokeSession(ctx.db, sessionId, ctx.clock)
  }
  catch (error) {
    // Signing out without a valid session is still a successful sign-out, but CSRF is not.
    if ((error as { statusCode?: number }).statusCode === 403) throw error
  }
  clearSessionCookie(event)
  setResponseStatus(event, 204)
  return null
})
