import { findOpenStore } from '../../../../../domains/storefront/storefront'
import { captureTransaction } from '../../../../../domains/storefront/capture'
import { storeTransactionParams } from '../../../../../http/store-host'

/** POST /api/public-store/:subdomain/transactions/:id/capture: idempotent capture after approval. */
export default defineEventHandler(async (event) => {
  const { subdomain, id } = paramsInput(event, storeTransactionParams)
  const ctx = await useAppContext()
  const store = await findOpenStore(ctx.db, subdomain)
  return captureTransaction({ db: ctx.db, keys: ctx.keys, log: ctx.log, now: () => ctx.clock.now() }, store, id)
})
