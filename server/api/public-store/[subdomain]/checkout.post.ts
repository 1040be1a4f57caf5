import { getRequestHeader, setResponseStatus } from 'h3'
import { RateLimited } from '../../../platform/errors'
import { createCheckout } from '../../../domains/storefront/checkout'
import { purchaseLimiter } from '../../../domains/storefront/limits'
import { findOpenStore } from '../../../domains/storefront/storefront'
import { storefrontBase } from '../../../http/store-host'
import { basketSchema } from '../../../../shared/contracts/commerce'
import { storeParamsSchema } from '../../../../shared/contracts/storefront'

/** POST /api/public-store/:subdomain/checkout: reserves the whole basket and starts one PayPal order. */
export default defineEventHandler(async (event) => {
  const wait = purchaseLimiter.take(getClientIp(event))
  if (wait > 0) throw new RateLimited(wait)
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const deps = await useDeps()
  const store = await findOpenStore(deps, subdomain)
  const basket = await readInput(event, basketSchema)
  const result = await createCheckout(deps, store, basket, {
    storefrontBase: storefrontBase(deps.env, store.license.subdomain, getRequestHeader(event, 'host')),
  })
  setResponseStatus(event, 201)
  return result
})
