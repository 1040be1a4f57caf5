import { findOpenStore, listPublicItems } from '../../../domains/storefront/storefront'
import { publicItemsQuerySchema, storeParamsSchema } from '../../../../shared/contracts/storefront'

/** GET /api/public-store/:subdomain/items: enabled items, never their commands. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const { category_id } = queryInput(event, publicItemsQuerySchema)
  const deps = await useDeps()
  return { items: await listPublicItems(deps, await findOpenStore(deps, subdomain), category_id) }
})
