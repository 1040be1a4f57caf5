import { listSales, presentSale } from '../../../domains/webstore/sales'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const rows = await listSales(await useDeps(), license.id)
  return { sales: rows.map(presentSale) }
})
