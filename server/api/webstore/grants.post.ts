import { grantInputSchema } from '../../../shared/contracts/operations'
import { createGrant } from '../../domains/operations/grants'
import { presentTransaction } from '../../domains/webstore/transactions'

export default ownerCreateRoute('transaction', grantInputSchema, createGrant, presentTransaction)
