import { findOpenStore } from '../../../../domains/storefront/storefront'
import { findStoreTransaction, presentPublicTransaction } from '../../../../domains/storefront/capture'
import { storeTransactionParamsSchema } from '../../../../../shared/contracts/storefront'

/** GET /api/public-store/:subdomain/transactions/:id: the status the return page polls. */
export default defineEventHandler(async (event) => {
  const { subdomain, id } = paramsInput(event, storeTransactionParamsSchema)
  const deps = await useDeps()
  const store = await findOpenStore(deps, subdomain)
  return presentPublicTransaction(await findStoreTransaction(deps, store.license.id, id))
})
