import { agentHeartbeatInputSchema } from '../../../shared/contracts/agent-runtime'
import { recordHeartbeat } from '../../domains/agent/heartbeat'

/** POST /api/agent/heartbeat: the agent is alive (version, executor) → 204. */
export default defineEventHandler(async (event) => {
  const license = await requireAgent(event)
  const input = await readInput(event, agentHeartbeatInputSchema)
  await recordHeartbeat(await useDeps(), license.id, input)
  return sendNoContent(event, 204)
})
