import { paypalExecute, PayPalError, type PayPalCredentials } from './client'
import { centsToDecimal, decimalToCents } from './money'

// Orders v2, reduced to the fields Cairn decides on. Callers never see PayPal's JSON.

export interface PayPalCaptureView {
  id: string
  /** COMPLETED, PENDING, DECLINED, REFUNDED, PARTIALLY_REFUNDED, REVERSED, FAILED */
  status: string
  amountCents: number | null
  currency: string | null
}

export interface PayPalOrderView {
  id: string
  /** CREATED, SAVED, APPROVED, VOIDED, COMPLETED, PAYER_ACTION_REQUIRED */
  status: string
  customId: string | null
  amountCents: number | null
  currency: string | null
  capture: PayPalCaptureView | null
  approvalUrl: string | null
}

interface WireAmount { currency_code?: unknown, value?: unknown }
interface WireCapture { id?: unknown, status?: unknown, amount?: WireAmount, custom_id?: unknown }
interface WireOrder {
  id?: unknown
  status?: unknown
  purchase_units?: Array<{ custom_id?: unknown, amount?: WireAmount, payments?: { captures?: WireCapture[] } }>
  links?: Array<{ rel?: unknown, href?: unknown }>
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

export function readOrder(wire: WireOrder | undefined): PayPalOrderView {
  const id = str(wire?.id)
  if (!wire || !id) throw new PayPalError(0, 'MALFORMED_RESPONSE', undefined, 'PayPal answered without an order id')
  const unit = Array.isArray(wire.purchase_units) ? wire.purchase_units[0] : undefined
  const capture = Array.isArray(unit?.payments?.captures) ? unit.payments.captures[0] : undefined
  const links = Array.isArray(wire.links) ? wire.links : []
  // Either link means "send the buyer here": `approve` (classic) or `payer-action` (payment_source).
  const link = links.find(l => l?.rel === 'payer-action') ?? links.find(l => l?.rel === 'approve')
  return {
    id,
    status: str(wire.status) ?? 'UNKNOWN',
    // PayPal repeats custom_id on the capture; a minimal order representation may carry it there only.
    customId: str(unit?.custom_id) ?? str(capture?.custom_id),
    // A capture answer with `return=minimal` omits the unit's amount; the capture's then stands for it.
    amountCents: decimalToCents(unit?.amount?.value ?? capture?.amount?.value),
    currency: str(unit?.amount?.currency_code ?? capture?.amount?.currency_code),
    capture: capture && str(capture.id)
      ? { id: str(capture.id)!, status: str(capture.status) ?? 'UNKNOWN', amountCents: decimalToCents(capture.amount?.value), currency: str(capture.amount?.currency_code) }
      : null,
    approvalUrl: str(link?.href),
  }
}

export interface CreateOrderInput {
  transactionId: string
  amountCents: number
  currency: string
  description: string
  returnUrl: string
  cancelUrl: string
  brandName: string
}

/** intent CAPTURE; `PayPal-Request-Id` = transaction id, so a retried create returns the same order. */
export async function createPayPalOrder(credentials: PayPalCredentials, input: CreateOrderInput): Promise<PayPalOrderView & { approvalUrl: string }> {
  const { result } = await paypalExecute<WireOrder>(credentials, {
    path: '/v2/checkout/orders',
    verb: 'POST',
    headers: { 'PayPal-Request-Id': input.transactionId, 'Prefer': 'return=representation' },
    body: {
      intent: 'CAPTURE',
      purchase_units: [{
        reference_id: input.transactionId,
        custom_id: input.transactionId,
        description: input.description.slice(0, 127),
        amount: { currency_code: input.currency, value: centsToDecimal(input.amountCents) },
      }],
      payment_source: {
        paypal: {
          experience_context: {
            brand_name: input.brandName.slice(0, 127),
            shipping_preference: 'NO_SHIPPING',
            user_action: 'PAY_NOW',
            return_url: input.returnUrl,
            cancel_url: input.cancelUrl,
          },
        },
      },
    },
  })
  const order = readOrder(result)
  if (!order.approvalUrl) throw new PayPalError(0, 'MALFORMED_RESPONSE', undefined, 'PayPal order has no approval link')
  return { ...order, approvalUrl: order.approvalUrl }
}

export async function getPayPalOrder(credentials: PayPalCredentials, orderId: string): Promise<PayPalOrderView> {
  const { result } = await paypalExecute<WireOrder>(credentials, { path: `/v2/checkout/orders/${encodeURIComponent(orderId)}`, verb: 'GET' })
  return readOrder(result)
}

/**
 * Captures an approved order. `ORDER_ALREADY_CAPTURED` (a concurrent or earlier capture) is not
 * an error: the order is fetched and returned as it stands.
 */
export async function capturePayPalOrder(credentials: PayPalCredentials, orderId: string, requestId: string): Promise<PayPalOrderView> {
  try {
    const { result } = await paypalExecute<WireOrder>(credentials, {
      path: `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
      verb: 'POST',
      headers: { 'PayPal-Request-Id': requestId, 'Prefer': 'return=representation' },
    })
    return readOrder(result)
  }
  catch (error) {
    if (error instanceof PayPalError && error.has('ORDER_ALREADY_CAPTURED')) return getPayPalOrder(credentials, orderId)
    throw error
  }
}

/**
 * GET /v2/payments/captures/:id — a capture's own status (refunds and reversals show here first)
 * and the order it belongs to (`supplementary_data.related_ids.order_id`, else its `up` link).
 */
export async function getPayPalCapture(credentials: PayPalCredentials, captureId: string): Promise<PayPalCaptureView & { orderId: string | null, customId: string | null }> {
  const { result } = await paypalExecute<WireCapture & { supplementary_data?: { related_ids?: { order_id?: unknown } }, links?: Array<{ rel?: unknown, href?: unknown }> }>(credentials, { path: `/v2/payments/captures/${encodeURIComponent(captureId)}`, verb: 'GET' })
  const id = str(result?.id)
  if (!result || !id) throw new PayPalError(0, 'MALFORMED_RESPONSE', undefined, 'PayPal answered without a capture id')
  const up = Array.isArray(result.links) ? result.links.find(l => l?.rel === 'up')?.href : undefined
  const fromLink = typeof up === 'string' ? /\/checkout\/orders\/([^/?#]+)/.exec(up)?.[1] ?? null : null
  return {
    id,
    status: str(result.status) ?? 'UNKNOWN',
    amountCents: decimalToCents(result.amount?.value),
    currency: str(result.amount?.currency_code),
    orderId: str(result.supplementary_data?.related_ids?.order_id) ?? fromLink,
    customId: str(result.custom_id),
  }
}
