import { actorOf } from '../../../domains/operations/audit'
import { resourceId } from '../../../domains/webstore/fields'
import { deleteItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  await deleteItem(await useDeps(), license.id, id, actorOf(user))
  return sendNoContent(event, 204)
})
