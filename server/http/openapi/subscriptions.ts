import { z } from 'zod'
import { SUBSCRIPTION_STATUSES } from '../../db/schema'
import { licenseHeader } from './modules'
import type { OperationSpec } from './registry'

// /api/webstore/subscription* in the OpenAPI document (responses as presentSubscription shapes them).

const isoTime = z.string().meta({ format: 'date-time' })

const subscriptionSchema = z.object({
  id: z.uuid(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  paypal_subscription_id: z.string().nullable(),
  current_period_end: isoTime.nullable().meta({ description: 'End of the period paid for (PayPal\'s next billing time); kept after a cancel' }),
  created_at: isoTime,
  cancelled_at: isoTime.nullable(),
}).meta({ title: 'WebstoreSubscription' })

const tags = ['Webstore subscription']
const security = ['userSession' as const]

export const subscriptionOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/api/webstore/subscription',
    operationId: 'getWebstoreSubscription',
    summary: 'The current webstore subscription (re-read from PayPal while it awaits approval)',
    tags,
    security,
    parameters: [licenseHeader],
    responses: { 200: { description: 'The ACTIVE subscription, else the newest; null when none', schema: z.object({ subscription: subscriptionSchema.nullable() }) } },
  },
  {
    method: 'post',
    path: '/api/webstore/subscription/create',
    operationId: 'createWebstoreSubscription',
    summary: 'Start a PayPal subscription; send the owner to approval_url',
    tags,
    security,
    parameters: [licenseHeader],
    responses: {
      201: { description: 'Waiting for the owner\'s approval at PayPal', schema: z.object({ subscription: z.object({ id: z.uuid(), status: z.literal('APPROVAL_PENDING'), approval_url: z.string() }) }) },
      409: { description: 'A subscription is already active, or was approved at PayPal and is being activated (`data.subscription`); or the license is revoked' },
      503: { description: 'The platform\'s PayPal app (PLATFORM_PAYPAL_*) is not configured, or PayPal is unreachable' },
    },
  },
  {
    method: 'post',
    path: '/api/webstore/subscription/cancel',
    operationId: 'cancelWebstoreSubscription',
    summary: 'Cancel the active subscription at PayPal; the store closes to players',
    tags,
    security,
    parameters: [licenseHeader],
    responses: {
      200: { description: 'Cancelled', schema: z.object({ subscription: subscriptionSchema }) },
      409: { description: 'No active subscription, or the license is revoked' },
      503: { description: 'The platform\'s PayPal app (PLATFORM_PAYPAL_*) is not configured, or PayPal is unreachable or refused the cancel: nothing changed' },
    },
  },
  {
    method: 'post',
    path: '/api/webstore/subscription/webhook',
    operationId: 'webstoreSubscriptionWebhook',
    summary: 'PayPal webhook of the platform app (BILLING.SUBSCRIPTION.*, PAYMENT.SALE.COMPLETED)',
    description: 'No session. Verified with PayPal (verify-webhook-signature, PLATFORM_PAYPAL_WEBHOOK_ID); the subscription is then re-read from PayPal. Replayed event ids are 200 no-ops.',
    tags,
    body: { schema: z.record(z.string(), z.unknown()), description: 'PayPal\'s webhook event, with its paypal-transmission-* headers' },
    responses: {
      200: { description: 'Applied, duplicate or ignored', schema: z.object({ received: z.literal(true), outcome: z.string() }) },
      400: { description: 'Not a PayPal event, or its signature could not be verified: nothing changed' },
      503: { description: 'PayPal is unreachable (signature check or subscription read): nothing recorded, PayPal retries later' },
    },
  },
]
