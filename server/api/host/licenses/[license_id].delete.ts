import { licenseIdParam, revokeHostLicense } from '../../../domains/hosts/host-licenses'

/** Revokes (final): 200 with the License, `status: "revoked"`. Repeating it is a no-op. */
export default defineEventHandler(async (event) => {
  const host = await requireHost(event)
  return revokeHostLicense(await useDeps(), host.id, licenseIdParam(getRouterParam(event, 'license_id')))
})
