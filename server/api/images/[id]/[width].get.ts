import { setResponseHeaders } from 'h3'
import { findImage } from '../../../domains/webstore/images'
import { resourceId } from '../../../domains/webstore/fields'
import { NotFound } from '../../../platform/errors'
import { ITEM_IMAGE_WIDTHS } from '../../../../shared/contracts/limits'

/** GET /api/images/:id/:width — an uploaded item image; a new upload gets a new id, so it never changes. */
export default defineEventHandler(async (event) => {
  const id = resourceId(getRouterParam(event, 'id'), 'Image')
  // Only the widths uploads are stored at: anything else names nothing (and stays clear of int4's range).
  const width = Number(getRouterParam(event, 'width'))
  if (!(ITEM_IMAGE_WIDTHS as readonly number[]).includes(width)) throw new NotFound('Image')
  const image = await findImage(await useDeps(), id, width)
  setResponseHeaders(event, {
    'Content-Type': image.contentType,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Content-Security-Policy': 'default-src \'none\'; sandbox',
    'Content-Length': String(image.data.length),
  })
  return image.data
})
