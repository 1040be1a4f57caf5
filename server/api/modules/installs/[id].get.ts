import { installParamsSchema } from '../../../../shared/contracts/modules'
import { getInstall } from '../../../domains/modules/installs'
import { NotFound } from '../../../platform/errors'

/** GET /api/modules/installs/:id: one of this license's installs (another license's id → 404). */
export default defineEventHandler(async (event) => {
  const { license } = await requireLicense(event)
  const params = installParamsSchema.safeParse(getRouterParams(event))
  // A malformed id cannot name an install: the same 404 as an unknown one.
  if (!params.success) throw new NotFound('Module install')
  return { install: await getInstall(await useDeps(), license.id, params.data.id) }
})
