import { listModules } from '../../domains/modules/installs'

/** GET /api/modules: the catalog with this server's installed version and latest install status. */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  return { modules: await listModules(await useDeps(), license.id) }
})
