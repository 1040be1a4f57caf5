import { getHostLicense, licenseIdParam } from '../../../domains/hosts/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  return getHostLicense(await useDeps(), host.id, licenseIdParam(getRouterParam(event, 'license_id')))
})
