import { actorOf } from '../../../domains/operations/audit'
import { categoryInputSchema } from '../../../../shared/contracts/webstore'
import { createCategory, presentCategory } from '../../../domains/webstore/categories'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const input = await readInput(event, categoryInputSchema)
  const row = await createCategory(await useDeps(), license.id, input, actorOf(user))
  setResponseStatus(event, 201)
  return { category: presentCategory(row) }
})
