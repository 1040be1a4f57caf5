import { bearerApp, isResponse, paypalError, route, type FakeRequest, type FakeResponse, type FakeRoute } from './http'
import { fakeId, type FakeCapture, type FakeOrder, type FakeRefund } from './state'

// Orders v2 subset: create, get, capture (incl. ORDER_ALREADY_CAPTURED / ORDER_NOT_APPROVED),
// and Payments v2 captures: get and refund.

interface WireMoney { currency_code?: string, value?: string }
interface WireItem { name?: string, quantity?: string, unit_amount?: WireMoney, sku?: string, category?: string }
interface CreateBody {
  intent?: string
  purchase_units?: Array<{
    reference_id?: string
    custom_id?: string
    description?: string
    amount?: WireMoney & { breakdown?: { item_total?: WireMoney, discount?: WireMoney } }
    items?: WireItem[]
  }>
  application_context?: { return_url?: string, cancel_url?: string }
  payment_source?: { paypal?: { experience_context?: { return_url?: string, cancel_url?: string } } }
}

export function presentOrder(order: FakeOrder, baseUrl: string) {
  const self = `${baseUrl}/v2/checkout/orders/${order.id}`
  const links: Array<{ href: string, rel: string, method: string }> = [{ href: self, rel: 'self', method: 'GET' }]
  if (order.status === 'CREATED') {
    links.push({ href: `${baseUrl}/checkoutnow?token=${order.id}`, rel: order.payerAction ? 'payer-action' : 'approve', method: 'GET' })
    links.push({ href: self, rel: 'update', method: 'PATCH' })
  }
  if (order.status === 'APPROVED') links.push({ href: `${self}/capture`, rel: 'capture', method: 'POST' })
  return {
    id: order.id,
    intent: order.intent,
    status: order.status,
    purchase_units: order.purchase_units,
    ...(order.payer ? { payer: order.payer } : {}),
    create_time: order.create_time,
    update_time: order.update_time,
    links,
  }
}

function ownedOrder(req: FakeRequest): FakeOrder | ReturnType<typeof paypalError> {
  const auth = bearerApp(req)
  if (isResponse(auth)) return auth
  const order = req.state.orders.get(req.params[0] ?? '')
  if (!order || order.owner !== auth.clientId) {
    return paypalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist. Please check the resource ID and try again.')
  }
  return order
}

const AMOUNT_RE = /^\d{1,10}\.\d{2}$/

function createOrder(req: FakeRequest) {
  const auth = bearerApp(req)
  if (isResponse(auth)) return auth
  const requestId = typeof req.headers['paypal-request-id'] === 'string' ? req.headers['paypal-request-id'] : undefined
  if (requestId) {
    const existing = req.state.orders.get(req.state.requestIds.get(`${auth.clientId}:${requestId}`) ?? '')
    if (existing) return { status: 200, body: presentOrder(existing, req.baseUrl) }
  }
  const body = (req.body ?? {}) as CreateBody
  const unit = body.purchase_units?.[0]
  if (body.intent !== 'CAPTURE' && body.intent !== 'AUTHORIZE') return paypalError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE', 'intent')
  if (!unit?.amount?.currency_code || !unit.amount.value || !AMOUNT_RE.test(unit.amount.value)) {
    return paypalError(422, 'UNPROCESSABLE_ENTITY', 'DECIMAL_PRECISION', 'amount')
  }
  const mismatch = checkBreakdown(unit)
  if (mismatch) return mismatch
  const now = new Date().toISOString()
  const context = body.payment_source?.paypal?.experience_context ?? body.application_context
  const order: FakeOrder = {
    id: fakeId(),
    owner: auth.clientId,
    requestId,
    status: 'CREATED',
    intent: body.intent,
    purchase_units: [{
      reference_id: unit.reference_id ?? 'default',
      amount: { currency_code: unit.amount.currency_code, value: unit.amount.value, ...(unit.amount.breakdown ? { breakdown: unit.amount.breakdown } : {}) },
      ...(unit.items ? { items: unit.items } : {}),
      ...(unit.custom_id ? { custom_id: unit.custom_id } : {}),
      ...(unit.description ? { description: unit.description } : {}),
    }],
    returnUrl: context?.return_url,
    cancelUrl: context?.cancel_url,
    payerAction: Boolean(body.payment_source?.paypal),
    payer: undefined,
    create_time: now,
    update_time: now,
  }
  req.state.orders.set(order.id, order)
  if (requestId) req.state.requestIds.set(`${auth.clientId}:${requestId}`, order.id)
  req.state.stats.ordersCreated++
  return { status: 201, body: presentOrder(order, req.baseUrl) }
}

const cents = (m: WireMoney | undefined) => (m?.value && AMOUNT_RE.test(m.value) ? Math.round(Number(m.value) * 100) : null)

/**
 * PayPal's own checks on items and breakdown: items need `breakdown.item_total`, which must equal
 * the sum of unit_amount × quantity, and the amount must equal item_total − discount.
 */
function checkBreakdown(unit: NonNullable<CreateBody['purchase_units']>[number]): FakeResponse | null {
  const breakdown = unit.amount?.breakdown
  const currency = unit.amount?.currency_code
  if (unit.items && unit.items.length > 0) {
    if (!breakdown?.item_total) return paypalError(422, 'UNPROCESSABLE_ENTITY', 'ITEM_TOTAL_REQUIRED', 'If item details are specified, amount.breakdown.item_total is required.')
    let sum = 0
    for (const item of unit.items) {
      const quantity = Number(item.quantity)
      const unitCents = cents(item.unit_amount)
      if (!item.name || !Number.isInteger(quantity) || quantity < 1 || unitCents === null || item.unit_amount?.currency_code !== currency) {
        return paypalError(422, 'UNPROCESSABLE_ENTITY', 'INVALID_PARAMETER_VALUE', 'items')
      }
      sum += unitCents * quantity
    }
    if (cents(breakdown.item_total) !== sum) return paypalError(422, 'UNPROCESSABLE_ENTITY', 'ITEM_TOTAL_MISMATCH', 'Should equal sum of (unit_amount * quantity) across all items for a given purchase_unit.')
  }
  if (breakdown) {
    const total = (cents(breakdown.item_total) ?? 0) - (cents(breakdown.discount) ?? 0)
    if (cents(unit.amount) !== total) return paypalError(422, 'UNPROCESSABLE_ENTITY', 'AMOUNT_MISMATCH', 'Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.')
  }
  return null
}

/** Marks the order approved by a buyer (the test helper and the checkout page call this). */
export function approveOrder(order: FakeOrder, payerId = 'FAKEBUYER01'): void {
  if (order.status !== 'CREATED') return
  order.status = 'APPROVED'
  order.payer = { payer_id: payerId, email_address: 'buyer@example.test' }
  order.update_time = new Date().toISOString()
}

export function completeCapture(order: FakeOrder, status: FakeCapture['status'] = 'COMPLETED'): FakeCapture {
  const unit = order.purchase_units[0]!
  const now = new Date().toISOString()
  const capture: FakeCapture = { id: fakeId('C'), status, amount: { currency_code: unit.amount.currency_code, value: unit.amount.value }, custom_id: unit.custom_id, create_time: now, update_time: now }
  unit.payments = { captures: [capture] }
  order.status = 'COMPLETED'
  order.update_time = now
  return capture
}

function captureOrder(req: FakeRequest) {
  req.state.stats.captureCalls++
  const order = ownedOrder(req)
  if (isResponse(order)) return order
  if (order.status === 'COMPLETED') {
    return paypalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED', 'Order already captured.If \'intent=CAPTURE\' only one capture per order is allowed.')
  }
  if (order.status !== 'APPROVED') {
    return paypalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED', 'Payer has not yet approved the Order for payment.')
  }
  const declined = req.state.extra.get(`decline:${order.id}`) === true
  completeCapture(order, declined ? 'DECLINED' : 'COMPLETED')
  return { status: 201, body: presentOrder(order, req.baseUrl) }
}

/** The capture with this id and its order, when the calling app owns the order. */
function ownedCapture(req: FakeRequest): { order: FakeOrder, capture: FakeCapture } | FakeResponse {
  const auth = bearerApp(req)
  if (isResponse(auth)) return auth
  for (const order of req.state.orders.values()) {
    const capture = order.purchase_units[0]?.payments?.captures.find(c => c.id === req.params[0])
    if (capture && order.owner === auth.clientId) return { order, capture }
  }
  return paypalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.')
}

const toCents = (value: string) => Math.round(Number(value) * 100)
const toValue = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`

function presentRefund(refund: FakeRefund, captureId: string, baseUrl: string) {
  return {
    ...refund,
    links: [
      { href: `${baseUrl}/v2/payments/refunds/${refund.id}`, rel: 'self', method: 'GET' },
      { href: `${baseUrl}/v2/payments/captures/${captureId}`, rel: 'up', method: 'GET' },
    ],
  }
}

/**
 * POST /v2/payments/captures/:id/refund: the whole remaining amount, or `amount`; the same
 * PayPal-Request-Id answers the first refund again instead of refunding twice.
 */
function refundCapture(req: FakeRequest): FakeResponse {
  req.state.stats.refundCalls++
  const found = ownedCapture(req)
  if (isResponse(found)) return found
  const { order, capture } = found
  const requestId = typeof req.headers['paypal-request-id'] === 'string' ? req.headers['paypal-request-id'] : undefined
  const refunds = req.state.refunds.get(capture.id) ?? []
  const key = requestId ? `${order.owner}:refund:${requestId}` : undefined
  const earlier = key ? refunds.find(r => r.id === req.state.requestIds.get(key)) : undefined
  if (earlier) return { status: 200, body: presentRefund(earlier, capture.id, req.baseUrl) }
  if (capture.status !== 'COMPLETED' && capture.status !== 'PARTIALLY_REFUNDED') {
    return paypalError(422, 'UNPROCESSABLE_ENTITY', capture.status === 'REFUNDED' ? 'CAPTURE_FULLY_REFUNDED' : 'REFUND_NOT_ALLOWED', 'The capture cannot be refunded.')
  }
  const remaining = toCents(capture.amount.value) - refunds.reduce((sum, r) => sum + toCents(r.amount.value), 0)
  const asked = (req.body as { amount?: { currency_code?: string, value?: string }, note_to_payer?: string } | undefined) ?? {}
  if (asked.amount && (asked.amount.currency_code !== capture.amount.currency_code || !AMOUNT_RE.test(asked.amount.value ?? ''))) {
    return paypalError(422, 'UNPROCESSABLE_ENTITY', 'INVALID_CURRENCY_CODE', 'amount')
  }
  const cents = asked.amount ? toCents(asked.amount.value!) : remaining
  if (cents <= 0 || cents > remaining) return paypalError(422, 'UNPROCESSABLE_ENTITY', 'REFUND_AMOUNT_EXCEEDED', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.')
  const now = new Date().toISOString()
  const refund: FakeRefund = { id: fakeId('R'), status: 'COMPLETED', amount: { currency_code: capture.amount.currency_code, value: toValue(cents) }, ...(asked.note_to_payer ? { note_to_payer: asked.note_to_payer } : {}), create_time: now, update_time: now }
  req.state.refunds.set(capture.id, [...refunds, refund])
  if (key) req.state.requestIds.set(key, refund.id)
  capture.status = cents === remaining ? 'REFUNDED' : 'PARTIALLY_REFUNDED'
  capture.update_time = now
  return { status: 201, body: presentRefund(refund, capture.id, req.baseUrl) }
}

export const orderRoutes: FakeRoute[] = [
  route('POST', /^\/v2\/checkout\/orders$/, createOrder),
  route('GET', /^\/v2\/checkout\/orders\/([^/]+)$/, (req) => {
    const order = ownedOrder(req)
    return isResponse(order) ? order : { status: 200, body: presentOrder(order, req.baseUrl) }
  }),
  route('POST', /^\/v2\/checkout\/orders\/([^/]+)\/capture$/, captureOrder),
  // GET /v2/payments/captures/:id — the capture alone, for the app that owns its order.
  route('GET', /^\/v2\/payments\/captures\/([^/]+)$/, (req) => {
    const found = ownedCapture(req)
    return isResponse(found) ? found : { status: 200, body: { ...found.capture, supplementary_data: { related_ids: { order_id: found.order.id } } } }
  }),
  route('POST', /^\/v2\/payments\/captures\/([^/]+)\/refund$/, refundCapture),
]
