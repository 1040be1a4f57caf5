import { deleteSale } from '../../../domains/webstore/sales'

export default ownerDeleteRoute('Sale', deleteSale)
