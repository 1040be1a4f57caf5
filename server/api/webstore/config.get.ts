import { getStoreConfig, presentStoreConfig } from '../../domains/webstore/config'

export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const { db, env } = await useAppContext()
  const row = await getStoreConfig(db, license.id)
  return { config: row ? presentStoreConfig(env, license, row) : null }
})
