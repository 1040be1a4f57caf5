import { couponInputSchema } from '../../../../shared/contracts/commerce'
import { presentCoupon, updateCoupon } from '../../../domains/webstore/coupons'

export default ownerReplaceRoute('coupon', 'Coupon', couponInputSchema, updateCoupon, presentCoupon)
