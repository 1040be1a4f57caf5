import { actorOf } from '../../../domains/operations/audit'
import { resourceId } from '../../../domains/webstore/fields'
import { presentItem, updateItem } from '../../../domains/webstore/items'
import { itemInputSchema } from '../../../../shared/contracts/webstore'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Item')
  const input = await readInput(event, itemInputSchema)
  const row = await updateItem(await useDeps(), license.id, id, input, actorOf(user))
  return { item: presentItem(row) }
})
