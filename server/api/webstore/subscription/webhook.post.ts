import { getRequestHeader, readRawBody } from 'h3'
import { z } from 'zod'
import { WEBHOOK_HEADERS, type WebhookHeaders } from '../../../integrations/paypal/webhooks'
import { subscriptionDeps } from '../../../domains/subscriptions/platform'
import { handleSubscriptionWebhook } from '../../../domains/subscriptions/webhook'

const webhookBody = z.record(z.string(), z.unknown())

/** POST /api/webstore/subscription/webhook: the platform PayPal app's webhook (no session; signature checked). */
export default defineEventHandler(async (event) => {
  const body = await readInput(event, webhookBody)
  // The bytes as received (cached by readInput): PayPal verifies its signature over them.
  const raw = await readRawBody(event, 'utf8')
  const headers: WebhookHeaders = {}
  for (const name of WEBHOOK_HEADERS) headers[name] = getRequestHeader(event, name)?.slice(0, 2048)
  const { outcome } = await handleSubscriptionWebhook(subscriptionDeps(await useAppContext()), headers, body, raw ?? undefined)
  return { received: true, outcome }
})
