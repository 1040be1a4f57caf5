import { listHostLicenses, listLicensesQuerySchema } from '../../../domains/hosts/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const query = queryInput(event, listLicensesQuerySchema)
  return listHostLicenses(await useHostDeps(), host.id, query)
})
