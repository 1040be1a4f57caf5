import { revokeUserSession } from '../../../domains/auth/sessions'
import { resourceId } from '../../../domains/webstore/fields'

/** Ends one of the user's sessions at once (its token is refused from the next request on). */
export default defineEventHandler(async (event) => {
  const { user, sessionId } = await requireUser(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Session')
  await revokeUserSession(await useDeps(), user.id, id)
  if (id === sessionId) clearSessionCookie(event)
  return sendNoContent(event, 204)
})
