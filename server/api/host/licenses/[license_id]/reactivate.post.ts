import { licenseIdParam, reactivateHostLicense } from '../../../../services/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  return reactivateHostLicense(await useHostDeps(), host.id, licenseIdParam(getRouterParam(event, 'license_id')))
})
