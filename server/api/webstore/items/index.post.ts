import { itemInputSchema } from '../../../../shared/contracts/webstore'
import { createItem, presentItem } from '../../../domains/webstore/items'

export default ownerCreateRoute('item', itemInputSchema, createItem, presentItem)
