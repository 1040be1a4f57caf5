import { listHostLicenses, listLicensesQuerySchema } from '../../../services/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const query = queryInput(event, listLicensesQuerySchema)
  return listHostLicenses(await useHostDeps(), host.id, query)
})
