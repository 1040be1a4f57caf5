import { saleInputSchema } from '../../../../shared/contracts/commerce'
import { createSale, presentSale } from '../../../domains/webstore/sales'

export default ownerCreateRoute('sale', saleInputSchema, createSale, presentSale)
