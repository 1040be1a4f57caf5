import { findOpenStore, getPublicStore } from '../../../domains/storefront/storefront'
import { storeParamsSchema } from '../../../../shared/contracts/storefront'

/** GET /api/public-store/:subdomain: the open store and its categories. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const deps = await useDeps()
  return getPublicStore(deps, await findOpenStore(deps, subdomain))
})
