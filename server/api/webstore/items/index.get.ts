import { itemListQuerySchema } from '../../../../shared/contracts/webstore'
import { listItems, presentItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const query = queryInput(event, itemListQuerySchema)
  const rows = await listItems(await useDeps(), license.id, { categoryId: query.category_id })
  return { items: rows.map(presentItem) }
})
