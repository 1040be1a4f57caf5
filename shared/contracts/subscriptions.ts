import { z } from 'zod'
import { SUBSCRIPTION_STATUSES, SUBSCRIPTION_WEBHOOK_OUTCOMES } from './enums'
import { isoTime } from './fields'

// /api/webstore/subscription* (API.md), shared by the server presenter and the panel.

export const subscriptionSchema = z.strictObject({
  id: z.uuid(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  paypal_subscription_id: z.string().nullable(),
  current_period_end: isoTime.nullable().meta({ description: 'End of the period paid for (PayPal\'s next billing time); kept after a cancel' }),
  created_at: isoTime,
  cancelled_at: isoTime.nullable(),
}).meta({ title: 'WebstoreSubscription' })
export type WebstoreSubscription = z.output<typeof subscriptionSchema>

/** POST /api/webstore/subscription/create → 201. */
const createdSubscriptionSchema = z.strictObject({
  id: z.uuid(),
  status: z.literal('APPROVAL_PENDING'),
  approval_url: z.string(),
})
export type CreatedSubscription = z.output<typeof createdSubscriptionSchema>

export const subscriptionResponseSchema = z.strictObject({ subscription: subscriptionSchema })
export const maybeSubscriptionResponseSchema = z.strictObject({ subscription: subscriptionSchema.nullable() })
export const createdSubscriptionResponseSchema = z.strictObject({ subscription: createdSubscriptionSchema })

export const subscriptionWebhookResultSchema = z.strictObject({ received: z.literal(true), outcome: z.enum(SUBSCRIPTION_WEBHOOK_OUTCOMES) })
