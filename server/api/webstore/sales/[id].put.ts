import { actorOf } from '../../../domains/operations/audit'
import { saleInputSchema } from '../../../../shared/contracts/commerce'
import { presentSale, updateSale } from '../../../domains/webstore/sales'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Sale')
  const input = await readInput(event, saleInputSchema)
  const row = await updateSale(await useDeps(), license.id, id, input, actorOf(user))
  return { sale: presentSale(row) }
})
