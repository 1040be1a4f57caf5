import { couponInputSchema } from '../../../../shared/contracts/commerce'
import { createCoupon, presentCoupon } from '../../../domains/webstore/coupons'

export default ownerCreateRoute('coupon', couponInputSchema, createCoupon, presentCoupon)
