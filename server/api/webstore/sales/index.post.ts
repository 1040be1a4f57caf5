import { actorOf } from '../../../domains/operations/audit'
import { saleInputSchema } from '../../../../shared/contracts/commerce'
import { createSale, presentSale } from '../../../domains/webstore/sales'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const input = await readInput(event, saleInputSchema)
  const row = await createSale(await useDeps(), license.id, input, actorOf(user))
  setResponseStatus(event, 201)
  return { sale: presentSale(row) }
})
