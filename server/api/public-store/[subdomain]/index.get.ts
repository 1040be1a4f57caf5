import { findOpenStore, getPublicStore } from '../../../domains/storefront/storefront'
import { storeParams } from '../../../http/store-host'

/** GET /api/public-store/:subdomain: the open store and its categories. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParams)
  const { db } = await useAppContext()
  return getPublicStore(db, await findOpenStore(db, subdomain))
})
