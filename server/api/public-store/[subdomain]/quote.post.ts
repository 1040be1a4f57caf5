import { quoteBasket } from '../../../domains/storefront/basket'
import { findOpenStore } from '../../../domains/storefront/storefront'
import { basketSchema } from '../../../../shared/contracts/commerce'
import { storeParamsSchema } from '../../../../shared/contracts/storefront'

/** POST /api/public-store/:subdomain/quote: the basket's price now (sales, coupon); reserves nothing. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const deps = await useDeps()
  const store = await findOpenStore(deps, subdomain)
  return quoteBasket(deps, store, await readInput(event, basketSchema))
})
