import { actorOf } from '../../../domains/operations/audit'
import { itemInputSchema } from '../../../../shared/contracts/webstore'
import { createItem, presentItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const input = await readInput(event, itemInputSchema)
  const row = await createItem(await useDeps(), license.id, input, actorOf(user))
  setResponseStatus(event, 201)
  return { item: presentItem(row) }
})
