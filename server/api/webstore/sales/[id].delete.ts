import { deleteSale } from '../../../domains/webstore/sales'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Sale')
  await deleteSale(await useDeps(), license.id, id)
  return sendNoContent(event, 204)
})
