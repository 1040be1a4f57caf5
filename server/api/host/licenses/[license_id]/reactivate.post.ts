import { licenseIdParam, reactivateHostLicense } from '../../../../domains/hosts/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  return reactivateHostLicense(await useDeps(), host.id, licenseIdParam(getRouterParam(event, 'license_id')))
})
