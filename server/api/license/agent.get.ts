import { agentStatus } from '../../domains/agent/heartbeat'

/** GET /api/license/agent: is this license's companion agent online, when was it last seen, which version. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  return { agent: await agentStatus(await useDeps(), license.id) }
})
