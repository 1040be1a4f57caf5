import { publicItemsJson } from '../../../domains/storefront/public-reads'
import { publicItemsQuerySchema, storeParamsSchema, type PublicItem } from '../../../../shared/contracts/storefront'

/** GET /api/public-store/:subdomain/items: enabled items, never their commands (from the replica's cache). */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const { category_id } = queryInput(event, publicItemsQuerySchema)
  return jsonText<{ items: PublicItem[] }>(event, await publicItemsJson(await useDeps(), subdomain.toLowerCase(), category_id))
})
