import { getRequestHeader, readRawBody } from 'h3'
import { WEBHOOK_HEADERS, type WebhookHeaders } from '../../../integrations/paypal/client'
import { findStoreForWebhook } from '../../../domains/storefront/storefront'
import { handleStoreWebhook } from '../../../domains/storefront/webhook'
import { storeParamsSchema } from '../../../../shared/contracts/storefront'
import { webhookBodySchema } from '../../../../shared/contracts/webhooks'

/** POST /api/public-store/:subdomain/webhook: PayPal's webhook for the store owner's app. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParamsSchema)
  const deps = await useDeps()
  const store = await findStoreForWebhook(deps, subdomain)
  const body = await readInput(event, webhookBodySchema)
  // The bytes as received (cached by readInput), for PayPal's signature check.
  const raw = await readRawBody(event, 'utf8')
  const headers: WebhookHeaders = {}
  for (const name of WEBHOOK_HEADERS) headers[name] = getRequestHeader(event, name)?.slice(0, 2048)
  const { outcome } = await handleStoreWebhook(deps, store, headers, body, raw ?? undefined)
  return { received: true, outcome }
})
