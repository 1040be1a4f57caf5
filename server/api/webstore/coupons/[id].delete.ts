import { deleteCoupon } from '../../../domains/webstore/coupons'

export default ownerDeleteRoute('Coupon', deleteCoupon)
