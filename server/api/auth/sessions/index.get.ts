import { listSessions } from '../../../domains/auth/sessions'

export default defineEventHandler(async (event) => {
  const { user, sessionId } = await requireUser(event)
  return { sessions: await listSessions(await useDeps(), user.id, sessionId) }
})
