import { captureOrder, createOrder, getCapture, getOrder, refundCapture, type CaptureOutcome, type CreateOrderInput, type PayPalCaptureDetail, type PayPalOrderView, type PayPalRefundView, type RefundInput } from './orders'
import { cancelSubscription, createSubscription, getSubscription, type CreateSubscriptionInput, type PayPalSubscriptionView } from './subscriptions'
import { paypalTransport, type PayPalCredentials, type TransportOptions } from './transport'
import { verifyWebhookSignature, type WebhookHeaders } from './webhooks'

// PayPal for the rest of Cairn: one client per app's credentials (a store owner's, or the
// platform's own), speaking in Cairn's terms. PayPal's wire format stays in this folder.

export interface PayPalClient {
  createOrder(input: CreateOrderInput): Promise<PayPalOrderView & { approvalUrl: string }>
  getOrder(orderId: string): Promise<PayPalOrderView>
  captureOrder(orderId: string, requestId: string): Promise<CaptureOutcome>
  getCapture(captureId: string): Promise<PayPalCaptureDetail>
  refundCapture(captureId: string, input: RefundInput): Promise<PayPalRefundView>
  createSubscription(input: CreateSubscriptionInput): Promise<PayPalSubscriptionView & { approvalUrl: string }>
  getSubscription(subscriptionId: string): Promise<PayPalSubscriptionView>
  cancelSubscription(subscriptionId: string, reason: string): Promise<void>
  /** Whether PayPal vouches for the event's signature for `webhookId` (an app's webhook). */
  verifyWebhookSignature(webhookId: string, headers: WebhookHeaders, event: Record<string, unknown>, rawEvent?: string): Promise<boolean>
}

export function paypalClient(credentials: PayPalCredentials, options: TransportOptions = {}): PayPalClient {
  const t = paypalTransport(credentials, options)
  return {
    createOrder: input => createOrder(t, input),
    getOrder: orderId => getOrder(t, orderId),
    captureOrder: (orderId, requestId) => captureOrder(t, orderId, requestId),
    getCapture: captureId => getCapture(t, captureId),
    refundCapture: (captureId, input) => refundCapture(t, captureId, input),
    createSubscription: input => createSubscription(t, input),
    getSubscription: subscriptionId => getSubscription(t, subscriptionId),
    cancelSubscription: (subscriptionId, reason) => cancelSubscription(t, subscriptionId, reason),
    verifyWebhookSignature: (webhookId, headers, event, rawEvent) => verifyWebhookSignature(t, webhookId, headers, event, rawEvent),
  }
}

export { PayPalError, refusedByPayPal } from './errors'
export type { PayPalCredentials, PayPalMode } from './transport'
export type { CaptureOutcome, CreateOrderInput, PayPalCaptureDetail, PayPalCaptureView, PayPalOrderView, PayPalRefundView, RefundInput } from './orders'
export type { CreateSubscriptionInput, PayPalSubscriptionView } from './subscriptions'
export { parseWebhookEvent, WEBHOOK_HEADERS, type PayPalWebhookEvent, type WebhookHeaders } from './webhooks'
export { subscriptionIdOfEvent } from './subscriptions'
