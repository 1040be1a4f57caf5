import { listLicensesQuerySchema } from '../../../../shared/contracts/host'
import { listHostLicenses } from '../../../domains/hosts/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const query = queryInput(event, listLicensesQuerySchema)
  return listHostLicenses(await useDeps(), host.id, query)
})
