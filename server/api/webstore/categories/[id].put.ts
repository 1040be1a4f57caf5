import { categoryInputSchema } from '../../../../shared/contracts/webstore'
import { presentCategory, updateCategory } from '../../../domains/webstore/categories'

export default ownerReplaceRoute('category', 'Category', categoryInputSchema, updateCategory, presentCategory)
