import { actorOf } from '../../../domains/operations/audit'
import { deleteCategory } from '../../../domains/webstore/categories'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Category')
  await deleteCategory(await useDeps(), license.id, id, actorOf(user))
  return sendNoContent(event, 204)
})
