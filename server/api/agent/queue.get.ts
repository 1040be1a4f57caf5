import { takeOpenMessages } from '../../domains/agent/outbox'

/** GET /api/agent/queue: the agent's unacknowledged deliveries and module installs (HTTP fallback). */
export default defineEventHandler(async (event) => {
  const license = await requireAgent(event)
  return takeOpenMessages(await useDeps(), license.id)
})
