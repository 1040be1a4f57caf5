import { listCoupons, presentCoupon } from '../../../domains/webstore/coupons'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const rows = await listCoupons(await useDeps(), license.id)
  return { coupons: rows.map(presentCoupon) }
})
