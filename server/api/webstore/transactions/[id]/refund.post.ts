import { actorOf } from '../../../../domains/operations/audit'
import { refundTransaction } from '../../../../domains/operations/orders'
import { presentTransaction } from '../../../../domains/webstore/transactions'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const row = await refundTransaction(await useDeps(), license.id, getRouterParam(event, 'id') ?? '', actorOf(user))
  return { transaction: presentTransaction(row) }
})
