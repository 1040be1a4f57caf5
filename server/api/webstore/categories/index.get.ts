import { listCategories, presentCategory } from '../../../domains/webstore/categories'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const { db } = await useAppContext()
  const rows = await listCategories(db, license.id)
  return { categories: rows.map(presentCategory) }
})
