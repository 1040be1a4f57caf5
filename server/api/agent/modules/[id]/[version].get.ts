import { setResponseHeaders } from 'h3'
import { moduleArtifactParamsSchema } from '../../../../../shared/contracts/modules-registry'
import { moduleArtifact } from '../../../../domains/modules/registry'
import { NotFound } from '../../../../platform/errors'

/** GET /api/agent/modules/<id>/<version>: a published module's bytes, for any license's agent (modules are not secret). */
export default defineEventHandler(async (event) => {
  await requireAgent(event)
  const { id, version } = paramsInput(event, moduleArtifactParamsSchema)
  const artifact = await moduleArtifact(await useDeps(), id, version)
  if (!artifact) throw new NotFound(`Version ${version} of module ${id}`)
  setResponseHeaders(event, {
    'content-type': 'application/octet-stream',
    'content-length': artifact.size,
    'content-disposition': `attachment; filename="${artifact.filename}"`,
    'x-content-sha256': artifact.sha256,
    'cache-control': 'private, max-age=31536000, immutable',
  })
  return artifact.content
})
