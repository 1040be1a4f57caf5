import { itemInputSchema } from '../../../../shared/contracts/webstore'
import { presentItem, updateItem } from '../../../domains/webstore/items'

export default ownerReplaceRoute('item', 'Item', itemInputSchema, updateItem, presentItem)
