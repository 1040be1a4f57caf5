import { setResponseHeader } from 'h3'
import { publicStoreJson } from '../../../domains/storefront/public-cache'
import { storeParamsSchema } from '../../../../shared/contracts/storefront'

/** GET /api/public-store/:subdomain: the open store and its categories (from the replica's cache). */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const json = await publicStoreJson(await useDeps(), subdomain.toLowerCase())
  setResponseHeader(event, 'Content-Type', 'application/json')
  return json
})
