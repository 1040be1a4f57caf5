import paypal from '@paypal/checkout-server-sdk'
import { centsToDecimal, decimalToCents } from '../../../shared/rules/money'
import { malformed, refusedByPayPal } from './errors'
import type { PayPalTransport } from './transport'

// Orders v2 and captures through the SDK's request classes, reduced to the fields Cairn decides
// on. Callers never see PayPal's JSON.

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
const record = <T>(v: unknown): T | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as T : undefined)

export function readOrder(answer: unknown): PayPalOrderView {
  const wire = record<WireOrder>(answer)
  const id = str(wire?.id)
  if (!wire || !id) throw malformed('without an order id')
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

/** PayPal's `{ currency_code, value }` for a charge or refund: only positive whole cents. */
function amountOf(cents: number, currency: string): { currency_code: string, value: string } {
  if (!Number.isSafeInteger(cents) || cents <= 0) throw new RangeError('a PayPal amount must be a positive whole number of cents')
  return { currency_code: currency, value: centsToDecimal(cents) }
}

/** One line of the order as PayPal shows it to the buyer. */
export interface OrderItemInput {
  name: string
  quantity: number
  unitAmountCents: number
  sku?: string
}

export interface CreateOrderInput {
  transactionId: string
  /** What the buyer pays: sum of the items' unit × quantity, minus `discountCents`. */
  amountCents: number
  currency: string
  description: string
  returnUrl: string
  cancelUrl: string
  brandName: string
  /** The basket; with it the amount carries PayPal's breakdown (item_total, discount). */
  items?: OrderItemInput[]
  discountCents?: number
}

/** `amount` with `breakdown` when items are given; refuses a breakdown that does not add up (PayPal would too). */
function orderAmount(input: CreateOrderInput) {
  const amount = amountOf(input.amountCents, input.currency)
  if (!input.items || input.items.length === 0) return { amount }
  const itemTotal = input.items.reduce((sum, i) => sum + i.unitAmountCents * i.quantity, 0)
  const discount = input.discountCents ?? 0
  if (itemTotal - discount !== input.amountCents) throw new RangeError('order items minus discount must equal the amount')
  return {
    amount: {
      ...amount,
      breakdown: {
        item_total: { currency_code: input.currency, value: centsToDecimal(itemTotal) },
        ...(discount > 0 ? { discount: { currency_code: input.currency, value: centsToDecimal(discount) } } : {}),
      },
    },
    items: input.items.map(i => ({
      name: i.name.slice(0, 127),
      quantity: String(i.quantity),
      unit_amount: { currency_code: input.currency, value: centsToDecimal(i.unitAmountCents) },
      ...(i.sku ? { sku: i.sku.slice(0, 127) } : {}),
      category: 'DIGITAL_GOODS',
    })),
  }
}

/** intent CAPTURE; `PayPal-Request-Id` = transaction id, so a retried create returns the same order. */
export async function createOrder(transport: PayPalTransport, input: CreateOrderInput): Promise<PayPalOrderView & { approvalUrl: string }> {
  const request = new paypal.orders.OrdersCreateRequest().prefer('return=representation').requestBody({
    intent: 'CAPTURE',
    purchase_units: [{
      reference_id: input.transactionId,
      custom_id: input.transactionId,
      description: input.description.slice(0, 127),
      ...orderAmount(input),
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
  })
  // The SDK's create request has no setter for it; the header is PayPal's idempotency key all the same.
  request.headers['PayPal-Request-Id'] = input.transactionId
  const order = readOrder(await transport.execute(request))
  if (!order.approvalUrl) throw malformed('with an order that has no approval link')
  return { ...order, approvalUrl: order.approvalUrl }
}

export async function getOrder(transport: PayPalTransport, orderId: string): Promise<PayPalOrderView> {
  return readOrder(await transport.execute(new paypal.orders.OrdersGetRequest(orderId)))
}

export type CaptureOutcome =
  | { captured: true, order: PayPalOrderView }
  /** `not_approved`: the buyer has not approved the order (yet); `refused`: any other refusal (declined, ...). */
  | { captured: false, reason: 'not_approved' | 'refused', message: string }

/**
 * Captures an approved order; a refusal is an outcome, a transient failure throws. An order
 * captured before (`ORDER_ALREADY_CAPTURED`, a concurrent or earlier capture) is read and returned.
 */
export async function captureOrder(transport: PayPalTransport, orderId: string, requestId: string): Promise<CaptureOutcome> {
  const request = new paypal.orders.OrdersCaptureRequest(orderId).payPalRequestId(requestId).prefer('return=representation').requestBody({})
  try {
    return { captured: true, order: readOrder(await transport.execute(request)) }
  }
  catch (error) {
    if (!refusedByPayPal(error)) throw error
    if (error.has('ORDER_ALREADY_CAPTURED')) return { captured: true, order: await getOrder(transport, orderId) }
    const notApproved = error.has('ORDER_NOT_APPROVED') || error.has('PAYER_ACTION_REQUIRED')
    return { captured: false, reason: notApproved ? 'not_approved' : 'refused', message: error.message }
  }
}

interface WireCaptureDetail extends WireCapture {
  supplementary_data?: { related_ids?: { order_id?: unknown } }
  links?: Array<{ rel?: unknown, href?: unknown }>
}

export type PayPalCaptureDetail = PayPalCaptureView & { orderId: string | null, customId: string | null }

/**
 * A capture's own status (refunds and reversals show here first) and the order it belongs to
 * (`supplementary_data.related_ids.order_id`, else its `up` link).
 */
export async function getCapture(transport: PayPalTransport, captureId: string): Promise<PayPalCaptureDetail> {
  const wire = record<WireCaptureDetail>(await transport.execute(new paypal.payments.CapturesGetRequest(captureId)))
  const id = str(wire?.id)
  if (!wire || !id) throw malformed('without a capture id')
  const up = Array.isArray(wire.links) ? wire.links.find(l => l?.rel === 'up')?.href : undefined
  const fromLink = typeof up === 'string' ? /\/checkout\/orders\/([^/?#]+)/.exec(up)?.[1] ?? null : null
  return {
    id,
    status: str(wire.status) ?? 'UNKNOWN',
    amountCents: decimalToCents(wire.amount?.value),
    currency: str(wire.amount?.currency_code),
    orderId: str(wire.supplementary_data?.related_ids?.order_id) ?? fromLink,
    customId: str(wire.custom_id),
  }
}

export interface RefundInput {
  /** `PayPal-Request-Id`: a retried refund returns the first one instead of refunding twice. */
  requestId: string
  /** A partial refund; the whole (remaining) capture when omitted. */
  amount?: { cents: number, currency: string }
  /** Shown to the buyer (at most 255 characters). */
  noteToPayer?: string
}

export interface PayPalRefundView {
  id: string
  /** COMPLETED, PENDING, CANCELLED, FAILED */
  status: string
  amountCents: number | null
  currency: string | null
}

export async function refundCapture(transport: PayPalTransport, captureId: string, input: RefundInput): Promise<PayPalRefundView> {
  const request = new paypal.payments.CapturesRefundRequest(captureId).payPalRequestId(input.requestId).prefer('return=representation').requestBody({
    ...(input.amount ? { amount: amountOf(input.amount.cents, input.amount.currency) } : {}),
    ...(input.noteToPayer ? { note_to_payer: input.noteToPayer.slice(0, 255) } : {}),
  })
  const wire = record<{ id?: unknown, status?: unknown, amount?: WireAmount }>(await transport.execute(request))
  const id = str(wire?.id)
  if (!wire || !id) throw malformed('without a refund id')
  return { id, status: str(wire.status) ?? 'UNKNOWN', amountCents: decimalToCents(wire.amount?.value), currency: str(wire.amount?.currency_code) }
}
