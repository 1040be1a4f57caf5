import { deleteCategory } from '../../../domains/webstore/categories'

export default ownerDeleteRoute('Category', deleteCategory)
