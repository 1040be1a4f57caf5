import { createdSubscriptionResponseSchema, maybeSubscriptionResponseSchema, subscriptionResponseSchema, subscriptionWebhookResultSchema } from '../../../shared/contracts/subscriptions'
import { webhookBodySchema } from '../../../shared/contracts/webhooks'
import { ownerArea, paypalEventBody } from './common'
import { apiArea } from './registry'

// /api/webstore/subscription* (docs/webstore-subscriptions.md).

const owner = ownerArea('Webstore subscription')
const notConfigured = 'The platform\'s PayPal app (PLATFORM_PAYPAL_*) is not configured, or PayPal is unreachable'

export const subscriptionOperations = [
  owner.get('/api/webstore/subscription', 'getWebstoreSubscription', 'The current webstore subscription (re-read from PayPal while it awaits approval)', {
    responses: { 200: { description: 'The ACTIVE subscription, else the newest; null when none', schema: maybeSubscriptionResponseSchema } },
  }),
  owner.post('/api/webstore/subscription/create', 'createWebstoreSubscription', 'Start a PayPal subscription; send the owner to approval_url', {
    responses: {
      201: { description: 'Waiting for the owner\'s approval at PayPal', schema: createdSubscriptionResponseSchema },
      409: { description: 'A subscription is already active, or was approved at PayPal and is being activated (`data.subscription`); or the license is revoked' },
      503: { description: notConfigured },
    },
  }),
  owner.post('/api/webstore/subscription/cancel', 'cancelWebstoreSubscription', 'Cancel the active subscription at PayPal; the store closes to players', {
    responses: {
      200: { description: 'Cancelled', schema: subscriptionResponseSchema },
      409: { description: 'No active subscription, or the license is revoked' },
      503: { description: `${notConfigured} or refused the cancel: nothing changed` },
    },
  }),
  apiArea({ tags: ['Webstore subscription'] }).post('/api/webstore/subscription/webhook', 'webstoreSubscriptionWebhook', 'PayPal webhook of the platform app (BILLING.SUBSCRIPTION.*, PAYMENT.SALE.COMPLETED)', {
    description: 'No session. Verified with PayPal (verify-webhook-signature, PLATFORM_PAYPAL_WEBHOOK_ID); the subscription is then re-read from PayPal. Replayed event ids are 200 no-ops.',
    body: { schema: webhookBodySchema, description: paypalEventBody },
    responses: {
      200: { description: 'Applied, duplicate or ignored', schema: subscriptionWebhookResultSchema },
      400: { description: 'Not a PayPal event, or its signature could not be verified: nothing changed' },
      503: { description: 'PayPal is unreachable (signature check or subscription read): nothing recorded, PayPal retries later' },
    },
  }),
]
