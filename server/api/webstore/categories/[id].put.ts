import { categoryInputSchema, presentCategory, updateCategory } from '../../../domains/webstore/categories'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Category')
  const input = await readInput(event, categoryInputSchema)
  const { db, clock } = await useAppContext()
  const row = await updateCategory(db, license.id, id, input, clock.now())
  return { category: presentCategory(row) }
})
