import { grantInputSchema } from '../../../shared/contracts/operations'
import { actorOf } from '../../domains/operations/audit'
import { createGrant } from '../../domains/operations/grants'
import { presentTransaction } from '../../domains/webstore/transactions'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const input = await readInput(event, grantInputSchema)
  const row = await createGrant(await useDeps(), license.id, input, actorOf(user))
  setResponseStatus(event, 201)
  return { transaction: presentTransaction(row) }
})
