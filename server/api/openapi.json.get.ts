import { authOperations } from '../services/auth-openapi'
import { deliveryOperations } from '../services/delivery/openapi'
import { hostOperations } from '../services/host-openapi'
import { moduleOperations } from '../services/modules/openapi'
import { openApiDocument, registerOperations } from '../services/openapi'
import { storeOperations } from '../services/store/openapi'
import { subscriptionOperations } from '../services/subscriptions/openapi'
import { webstoreOperations } from '../services/webstore/openapi'

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
