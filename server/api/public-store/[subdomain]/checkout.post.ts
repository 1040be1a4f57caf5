import { setResponseStatus } from 'h3'
import { createCheckout } from '../../../domains/storefront/checkout'
import { openStoreForPurchase } from '../../../http/store-purchase'
import { basketSchema } from '../../../../shared/contracts/commerce'

/** POST /api/public-store/:subdomain/checkout: reserves the whole basket and starts one PayPal order. */
export default defineEventHandler(async (event) => {
  const { deps, store, urls } = await openStoreForPurchase(event)
  const result = await createCheckout(deps, store, await readInput(event, basketSchema), urls)
  setResponseStatus(event, 201)
  return result
})
