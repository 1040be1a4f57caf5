import { updateLicenseSchema } from '../../../../shared/contracts/host'
import { licenseIdParam, updateHostLicense } from '../../../domains/hosts/host-licenses'

export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  const licenseId = licenseIdParam(getRouterParam(event, 'license_id'))
  const input = await readInput(event, updateLicenseSchema)
  return updateHostLicense(await useDeps(), host.id, licenseId, input)
})
