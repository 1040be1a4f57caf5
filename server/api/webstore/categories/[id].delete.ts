import { deleteCategory } from '../../../domains/webstore/categories'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Category')
  await deleteCategory(await useDeps(), license.id, id)
  return sendNoContent(event, 204)
})
