import { findOpenStore } from '../../../../domains/storefront/storefront'
import { findStoreTransaction, presentPublicTransaction } from '../../../../domains/storefront/capture'
import { storeTransactionParams } from '../../../../http/store-host'

/** GET /api/public-store/:subdomain/transactions/:id: the status the return page polls. */
export default defineEventHandler(async (event) => {
  const { subdomain, id } = paramsInput(event, storeTransactionParams)
  const { db } = await useAppContext()
  const store = await findOpenStore(db, subdomain)
  return presentPublicTransaction(await findStoreTransaction(db, store.license.id, id))
})
