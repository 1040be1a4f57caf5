import { presentOwnedLicense } from '../domains/licenses/licenses'

/** The license this request acts on (X-License-Id or the only one): lets clients check their selection. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  return { license: presentOwnedLicense(license) }
})
