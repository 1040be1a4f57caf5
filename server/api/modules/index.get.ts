import { listModules } from '../../domains/modules/installs'

/** GET /api/modules: the catalog with this server's installed version and latest install status. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const { db } = await useAppContext()
  return { modules: await listModules(db, license.id) }
})
