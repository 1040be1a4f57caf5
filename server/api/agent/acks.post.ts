import { acksInputSchema, applyAcks } from '../../domains/agent/acks'

/** POST /api/agent/acks: closes deliveries / module installs of this agent's license only. */
export default defineEventHandler(async (event) => {
  const license = await requireAgent(event)
  const input = await readInput(event, acksInputSchema)
  const { db, clock } = await useAppContext()
  return { acks: await applyAcks(db, license.id, input.acks, clock.now()) }
})
