import { resourceId } from '../../../domains/webstore/fields'
import { deleteItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  const { db, clock } = await useAppContext()
  await deleteItem(db, license.id, id, clock.now())
  return sendNoContent(event, 204)
})
