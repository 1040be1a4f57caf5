import { resourceId } from '../../../domains/webstore/fields'
import { presentItem, updateItem } from '../../../domains/webstore/items'
import { itemInputSchema } from '../../../../shared/contracts/webstore'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  const input = await readInput(event, itemInputSchema)
  const row = await updateItem(await useDeps(), license.id, id, input)
  return { item: presentItem(row) }
})
