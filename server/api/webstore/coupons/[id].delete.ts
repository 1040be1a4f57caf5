import { actorOf } from '../../../domains/operations/audit'
import { deleteCoupon } from '../../../domains/webstore/coupons'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Coupon')
  await deleteCoupon(await useDeps(), license.id, id, actorOf(user))
  return sendNoContent(event, 204)
})
