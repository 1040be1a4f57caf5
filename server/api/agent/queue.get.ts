import { agentQueueQuerySchema } from '../../../shared/contracts/agent-runtime'
import { pollAgentQueue } from '../../domains/agent/queue'

/** GET /api/agent/queue[?wait=0..30]: the agent's unacknowledged deliveries and module installs, long-polled. */
export default defineEventHandler(async (event) => {
  const license = await requireAgent(event)
  const { wait } = queryInput(event, agentQueueQuerySchema)
  const closed = new AbortController()
  event.node.res.once('close', () => closed.abort())
  return pollAgentQueue(await useDeps(), license.id, wait ?? 0, closed.signal)
})
