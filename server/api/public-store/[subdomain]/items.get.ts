import { z } from 'zod'
import { findOpenStore, listPublicItems } from '../../../domains/storefront/storefront'
import { storeParams } from '../../../http/store-host'

const query = z.object({ category_id: z.uuid({ message: 'must be a UUID' }).optional() })

/** GET /api/public-store/:subdomain/items: enabled items, never their commands. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParams)
  const { category_id } = queryInput(event, query)
  const { db } = await useAppContext()
  return { items: await listPublicItems(db, await findOpenStore(db, subdomain), category_id) }
})
