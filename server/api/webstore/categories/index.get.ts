import { listCategories, presentCategory } from '../../../domains/webstore/categories'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const rows = await listCategories(await useDeps(), license.id)
  return { categories: rows.map(presentCategory) }
})
