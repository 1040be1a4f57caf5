import { authOperations } from '../http/openapi/auth'
import { deliveryOperations } from '../http/openapi/agent'
import { hostOperations } from '../http/openapi/host'
import { moduleOperations } from '../http/openapi/modules'
import { openApiDocument, registerOperations } from '../http/openapi/registry'
import { storeOperations } from '../http/openapi/storefront'
import { subscriptionOperations } from '../http/openapi/subscriptions'
import { webstoreOperations } from '../http/openapi/webstore'

// Each API area registers its operations here (one line each).
registerOperations(hostOperations)
registerOperations(subscriptionOperations)
registerOperations(moduleOperations)
registerOperations(authOperations)
registerOperations(webstoreOperations)
registerOperations(storeOperations)
registerOperations(deliveryOperations)

export default defineEventHandler(async () => {
  const { env } = await useAppContext()
  return openApiDocument({ serverUrl: env.publicUrl })
})
