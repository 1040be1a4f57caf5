import { actorOf } from '../../../domains/operations/audit'
import { couponInputSchema } from '../../../../shared/contracts/commerce'
import { createCoupon, presentCoupon } from '../../../domains/webstore/coupons'

export default defineEventHandler(async (event) => {
  const { license, user } = await requireLicense(event)
  const input = await readInput(event, couponInputSchema)
  const row = await createCoupon(await useDeps(), license.id, input, actorOf(user))
  setResponseStatus(event, 201)
  return { coupon: presentCoupon(row) }
})
