import { getRequestHeader, readRawBody } from 'h3'
import { WEBHOOK_HEADERS, type WebhookHeaders } from '../../../integrations/paypal/webhooks'
import { findStoreForWebhook } from '../../../domains/storefront/storefront'
import { handleStoreWebhook } from '../../../domains/storefront/webhook'
import { storeParams, webhookBody } from '../../../http/store-host'

/** POST /api/public-store/:subdomain/webhook: PayPal's webhook for the store owner's app. */
export default defineEventHandler(async (event) => {
  const { subdomain } = paramsInput(event, storeParams)
  const ctx = await useAppContext()
  const store = await findStoreForWebhook(ctx.db, subdomain)
  const body = await readInput(event, webhookBody)
  // The bytes as received (cached by readInput), for PayPal's signature check.
  const raw = await readRawBody(event, 'utf8')
  const headers: WebhookHeaders = {}
  for (const name of WEBHOOK_HEADERS) headers[name] = getRequestHeader(event, name)?.slice(0, 2048)
  const { outcome } = await handleStoreWebhook({ db: ctx.db, keys: ctx.keys, log: ctx.log, now: () => ctx.clock.now() }, store, headers, body, raw ?? undefined)
  return { received: true, outcome }
})
