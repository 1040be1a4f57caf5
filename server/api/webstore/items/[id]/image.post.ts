import { ITEM_IMAGE_MAX_BYTES } from '../../../../../shared/contracts/limits'
import { setItemImage } from '../../../../domains/webstore/images'
import { presentItem } from '../../../../domains/webstore/items'
import { resourceId } from '../../../../domains/webstore/fields'
import { readUploadedFile } from '../../../../http/upload'

/** POST /api/webstore/items/:id/image: multipart field `image` (PNG, JPEG, WebP or GIF by content, ≤ 2 MB). */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  const bytes = await readUploadedFile(event, 'image', ITEM_IMAGE_MAX_BYTES)
  const row = await setItemImage(await useDeps(), license.id, id, bytes)
  return { item: presentItem(row) }
})
