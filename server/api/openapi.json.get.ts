import { hostOperations } from '../services/host-openapi'
import { openApiDocument, registerOperations } from '../services/openapi'

// Each API area registers its operations here (one line each).
registerOperations(hostOperations)

export default defineEventHandler(async () => {
  const { env } = await useAppContext()
  return openApiDocument({ serverUrl: env.publicUrl })
})
