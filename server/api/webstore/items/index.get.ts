import { itemListQuerySchema, listItems, presentItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const query = queryInput(event, itemListQuerySchema)
  const { db } = await useAppContext()
  const rows = await listItems(db, license.id, { categoryId: query.category_id })
  return { items: rows.map(presentItem) }
})
