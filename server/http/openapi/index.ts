import { accountOperations } from './account'
import { deliveryOperations } from './agent'
import { agentRuntimeOperations } from './agent-runtime'
import { authOperations } from './auth'
import { hostOperations } from './host'
import { moduleOperations } from './modules'
import { ownerOperations } from './operations'
import { commerceOperations } from './commerce'
import { buildOpenApiDocument, type OperationSpec } from './registry'
import { storeOperations } from './storefront'
import { subscriptionOperations } from './subscriptions'
import { webstoreOperations } from './webstore'

/** Every operation of the API, one list per area. */
export const apiOperations: readonly OperationSpec[] = [
  ...hostOperations,
  ...authOperations,
  ...accountOperations,
  ...webstoreOperations,
  ...ownerOperations,
  ...subscriptionOperations,
  ...moduleOperations,
  ...storeOperations,
  ...commerceOperations,
  ...deliveryOperations,
  ...agentRuntimeOperations,
]

let cached: { serverUrl: string, document: Record<string, unknown> } | undefined

/** GET /api/openapi.json: built once per server URL (the schemas never change at run time). */
export function apiDocument(serverUrl: string): Record<string, unknown> {
  if (cached?.serverUrl !== serverUrl) cached = { serverUrl, document: buildOpenApiDocument(apiOperations, { serverUrl }) }
  return cached.document
}
