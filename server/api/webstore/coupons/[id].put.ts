import { actorOf } from '../../../domains/operations/audit'
import { couponInputSchema } from '../../../../shared/contracts/commerce'
import { presentCoupon, updateCoupon } from '../../../domains/webstore/coupons'
import { resourceId } from '../../../domains/webstore/fields'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const id = resourceId(getRouterParam(event, 'id'), 'Coupon')
  const input = await readInput(event, couponInputSchema)
  const row = await updateCoupon(await useDeps(), license.id, id, input, actorOf(user))
  return { coupon: presentCoupon(row) }
})
