import { actorOf } from '../../../domains/operations/audit'
import { deleteSale } from '../../../domains/webstore/sales'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Sale')
  await deleteSale(await useDeps(), license.id, id, actorOf(user))
  return sendNoContent(event, 204)
})
