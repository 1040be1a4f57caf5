import { categoryInputSchema } from '../../../../shared/contracts/webstore'
import { createCategory, presentCategory } from '../../../domains/webstore/categories'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, categoryInputSchema)
  const row = await createCategory(await useDeps(), license.id, input)
  setResponseStatus(event, 201)
  return { category: presentCategory(row) }
})
