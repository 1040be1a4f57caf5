import { deleteItem } from '../../../domains/webstore/items'

export default ownerDeleteRoute('Item', deleteItem)
