import { resourceId } from '../../../domains/webstore/fields'
import { itemInputSchema, presentItem, updateItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  const input = await readInput(event, itemInputSchema)
  const { db, clock } = await useAppContext()
  const row = await updateItem(db, license.id, id, input, clock.now())
  return { item: presentItem(row) }
})
