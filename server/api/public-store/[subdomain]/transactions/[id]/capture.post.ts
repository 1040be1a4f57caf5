import { findOpenStore } from '../../../../../domains/storefront/storefront'
import { captureTransaction } from '../../../../../domains/storefront/capture'
import { storeTransactionParamsSchema } from '../../../../../../shared/contracts/storefront'

/** POST /api/public-store/:subdomain/transactions/:id/capture: idempotent capture after approval. */
export default defineEventHandler(async (event) => {
  const { subdomain, id } = paramsInput(event, storeTransactionParamsSchema)
  const deps = await useDeps()
  const store = await findOpenStore(deps, subdomain)
  return captureTransaction(deps, store, id)
})
