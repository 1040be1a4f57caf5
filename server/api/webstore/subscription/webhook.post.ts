import { getRequestHeader, readRawBody } from 'h3'
import { WEBHOOK_HEADERS, type WebhookHeaders } from '../../../integrations/paypal/client'
import { handleSubscriptionWebhook } from '../../../domains/subscriptions/webhook'
import { webhookBodySchema } from '../../../../shared/contracts/webhooks'

/** POST /api/webstore/subscription/webhook: the platform PayPal app's webhook (no session; signature checked). */
export default defineEventHandler(async (event) => {
  const body = await readInput(event, webhookBodySchema)
  // The bytes as received (cached by readInput): PayPal verifies its signature over them.
  const raw = await readRawBody(event, 'utf8')
  const headers: WebhookHeaders = {}
  for (const name of WEBHOOK_HEADERS) headers[name] = getRequestHeader(event, name)?.slice(0, 2048)
  const { outcome } = await handleSubscriptionWebhook(await useDeps(), headers, body, raw ?? undefined)
  return { received: true, outcome }
})
