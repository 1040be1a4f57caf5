import { categoryInputSchema } from '../../../../shared/contracts/webstore'
import { createCategory, presentCategory } from '../../../domains/webstore/categories'

export default ownerCreateRoute('category', categoryInputSchema, createCategory, presentCategory)
