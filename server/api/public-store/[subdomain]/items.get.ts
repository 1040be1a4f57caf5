import { setResponseHeader } from 'h3'
import { publicItemsJson } from '../../../domains/storefront/public-cache'
import { publicItemsQuerySchema, storeParamsSchema } from '../../../../shared/contracts/storefront'

/** GET /api/public-store/:subdomain/items: enabled items, never their commands (from the replica's cache). */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const { category_id } = queryInput(event, publicItemsQuerySchema)
  const json = await publicItemsJson(await useDeps(), subdomain.toLowerCase(), category_id)
  setResponseHeader(event, 'Content-Type', 'application/json')
  return json
})
