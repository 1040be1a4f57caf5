import { deleteCoupon } from '../../../domains/webstore/coupons'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Coupon')
  await deleteCoupon(await useDeps(), license.id, id)
  return sendNoContent(event, 204)
})
