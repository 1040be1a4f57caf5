import { getStoreConfig, presentStoreConfig } from '../../domains/webstore/config'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const deps = await useDeps()
  const row = await getStoreConfig(deps, license.id)
  return { config: row ? presentStoreConfig(deps.env, license, row) : null }
})
