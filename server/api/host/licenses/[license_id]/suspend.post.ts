import { licenseIdParam, suspendHostLicense } from '../../../../services/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  return suspendHostLicense(await useHostDeps(), host.id, licenseIdParam(getRouterParam(event, 'license_id')))
})
