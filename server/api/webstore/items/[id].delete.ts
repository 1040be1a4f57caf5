import { resourceId } from '../../../domains/webstore/fields'
import { deleteItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  await deleteItem(await useDeps(), license.id, id)
  return sendNoContent(event, 204)
})
