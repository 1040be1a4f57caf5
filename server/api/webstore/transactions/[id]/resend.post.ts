import { actorOf } from '../../../../domains/operations/audit'
import { presentDelivery } from '../../../../domains/operations/deliveries'
import { resendTransaction } from '../../../../domains/operations/orders'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const row = await resendTransaction(await useDeps(), license.id, getRouterParam(event, 'id') ?? '', actorOf(user))
  setResponseStatus(event, 202)
  return { delivery: presentDelivery(row) }
})
