import { statsQuerySchema } from '../../../shared/contracts/operations'
import { storeStats } from '../../domains/operations/stats'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const query = queryInput(event, statsQuerySchema)
  return storeStats(await useDeps(), license.id, query.days)
})
