import { acksInputSchema } from '../../../shared/contracts/agent'
import { applyAcks } from '../../domains/agent/acks'

/** POST /api/agent/acks: closes deliveries / module installs of this agent's license only. */
export default defineEventHandler(async (event) => {
  const license = await requireAgent(event)
  const input = await readInput(event, acksInputSchema)
  return { acks: await applyAcks(await useDeps(), license.id, input.acks) }
})
