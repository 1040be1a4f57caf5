import { getRequestHeader, setResponseStatus } from 'h3'
import { RateLimited } from '../../../platform/errors'
import { createPurchase, purchaseInputSchema } from '../../../domains/storefront/purchase'
import { purchaseLimiter } from '../../../domains/storefront/limits'
import { findOpenStore } from '../../../domains/storefront/storefront'
import { storeParams, storefrontBase } from '../../../http/store-host'

/** POST /api/public-store/:subdomain/purchase: reserves the item and starts a PayPal order. */
export default defineEventHandler(async (event) => {
  const wait = purchaseLimiter.take(getClientIp(event))
  if (wait > 0) throw new RateLimited(wait)
  const { subdomain } = paramsInput(event, storeParams)
  const ctx = await useAppContext()
  const store = await findOpenStore(ctx.db, subdomain)
  const input = await readInput(event, purchaseInputSchema)
  const result = await createPurchase({ db: ctx.db, keys: ctx.keys, log: ctx.log, now: ctx.clock.now() }, store, input, {
    storefrontBase: storefrontBase(ctx.env, store.license.subdomain, getRequestHeader(event, 'host')),
  })
  setResponseStatus(event, 201)
  return result
})
