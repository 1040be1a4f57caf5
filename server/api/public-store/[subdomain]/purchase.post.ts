import { getRequestHeader, setResponseStatus } from 'h3'
import { RateLimited } from '../../../platform/errors'
import { createPurchase } from '../../../domains/storefront/purchase'
import { purchaseLimiter } from '../../../domains/storefront/limits'
import { findOpenStore } from '../../../domains/storefront/storefront'
import { storefrontBase } from '../../../http/store-host'
import { purchaseInputSchema, storeParamsSchema } from '../../../../shared/contracts/storefront'

/** POST /api/public-store/:subdomain/purchase: reserves the item and starts a PayPal order. */
export default defineEventHandler(async (event) => {
  const wait = purchaseLimiter.take(getClientIp(event))
  if (wait > 0) throw new RateLimited(wait)
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const deps = await useDeps()
  const store = await findOpenStore(deps, subdomain)
  const input = await readInput(event, purchaseInputSchema)
  const result = await createPurchase(deps, store, input, {
    storefrontBase: storefrontBase(deps.env, store.license.subdomain, getRequestHeader(event, 'host')),
  })
  setResponseStatus(event, 201)
  return result
})
