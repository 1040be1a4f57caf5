import { publicStoreJson } from '../../../domains/storefront/public-reads'
import { storeParamsSchema, type PublicStoreView } from '../../../../shared/contracts/storefront'

/** GET /api/public-store/:subdomain: the open store and its categories (from the replica's cache). */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  return jsonText<PublicStoreView>(event, await publicStoreJson(await useDeps(), subdomain.toLowerCase()))
})
