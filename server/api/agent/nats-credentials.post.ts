import { natsCredentialsInputSchema } from '../../../shared/contracts/agent'
import { issueAgentNatsCredentials } from '../../domains/agent/credentials'

/** POST /api/agent/nats-credentials: a short-lived NATS user JWT scoped to this agent's license. */
export default defineEventHandler(async (event) => {
  const license = await requireAgent(event)
  const input = await readInput(event, natsCredentialsInputSchema)
  return issueAgentNatsCredentials(await useDeps(), license, input.public_key)
})
