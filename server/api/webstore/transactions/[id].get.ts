import { getTransactionDetail } from '../../../domains/operations/orders'
import { presentDelivery } from '../../../domains/operations/deliveries'
import { presentTransaction } from '../../../domains/webstore/transactions'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const detail = await getTransactionDetail(await useDeps(), license.id, getRouterParam(event, 'id') ?? '')
  return { transaction: presentTransaction(detail.transaction), deliveries: detail.deliveries.map(presentDelivery) }
})
