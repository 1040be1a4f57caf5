import { removeItemImage } from '../../../../domains/webstore/images'
import { presentItem } from '../../../../domains/webstore/items'
import { resourceId } from '../../../../domains/webstore/fields'

/** DELETE /api/webstore/items/:id/image: the uploaded image goes; `image_url` becomes null. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  const row = await removeItemImage(await useDeps(), license.id, id)
  return { item: presentItem(row) }
})
