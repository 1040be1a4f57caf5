import { createItem, itemInputSchema, presentItem } from '../../../domains/webstore/items'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, itemInputSchema)
  const { db } = await useAppContext()
  const row = await createItem(db, license.id, input)
  setResponseStatus(event, 201)
  return { item: presentItem(row) }
})
