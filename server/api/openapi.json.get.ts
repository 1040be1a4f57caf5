import { hostOperations } from '../services/host-openapi'
import { moduleOperations } from '../services/modules/openapi'
import { openApiDocument, registerOperations } from '../services/openapi'
import { subscriptionOperations } from '../services/subscriptions/openapi'

// Each API area registers its operations here (one line each).
registerOperations(hostOperations)
registerOperations(subscriptionOperations)
registerOperations(moduleOperations)

export default defineEventHandler(async () => {
  const { env } = await useAppContext()
  return openApiDocument({ serverUrl: env.publicUrl })
})
