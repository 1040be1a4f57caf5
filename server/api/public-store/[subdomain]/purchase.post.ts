import { setResponseStatus } from 'h3'
import { createPurchase } from '../../../domains/storefront/purchase'
import { openStoreForPurchase } from '../../../http/store-purchase'
import { purchaseInputSchema } from '../../../../shared/contracts/storefront'

/** POST /api/public-store/:subdomain/purchase: reserves the item (a one-line basket) and starts a PayPal order. */
export default defineEventHandler(async (event) => {
  const { deps, store, urls } = await openStoreForPurchase(event)
  const result = await createPurchase(deps, store, await readInput(event, purchaseInputSchema), urls)
  setResponseStatus(event, 201)
  return result
})
