import { categoryInputSchema, createCategory, presentCategory } from '../../../domains/webstore/categories'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const input = await readInput(event, categoryInputSchema)
  const { db } = await useAppContext()
  const row = await createCategory(db, license.id, input)
  setResponseStatus(event, 201)
  return { category: presentCategory(row) }
})
