import { saleInputSchema } from '../../../../shared/contracts/commerce'
import { presentSale, updateSale } from '../../../domains/webstore/sales'

export default ownerReplaceRoute('sale', 'Sale', saleInputSchema, updateSale, presentSale)
