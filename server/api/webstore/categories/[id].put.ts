import { actorOf } from '../../../domains/operations/audit'
import { categoryInputSchema } from '../../../../shared/contracts/webstore'
import { presentCategory, updateCategory } from '../../../domains/webstore/categories'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Category')
  const input = await readInput(event, categoryInputSchema)
  const row = await updateCategory(await useDeps(), license.id, id, input, actorOf(user))
  return { category: presentCategory(row) }
})
