import { saleInputSchema } from '../../../../shared/contracts/commerce'
import { createSale, presentSale } from '../../../domains/webstore/sales'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, saleInputSchema)
  const row = await createSale(await useDeps(), license.id, input)
  setResponseStatus(event, 201)
  return { sale: presentSale(row) }
})
