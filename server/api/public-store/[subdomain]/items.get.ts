import { z } from 'zod'
import { findOpenStore, listPublicItems } from '../../../services/store/storefront'
import { storeParams } from '../../../services/store/http'

const query = z.object({ category_id: z.uuid({ message: 'must be a UUID' }).optional() })

/** GET /api/public-store/:subdomain/items: enabled items, never their commands. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParams)
  const { category_id } = queryInput(event, query)
  const { db } = await useAppContext()
  return { items: await listPublicItems(db, await findOpenStore(db, subdomain), category_id) }
})
