import { bearerApp, isResponse, paypalError, route, type FakeRequest, type FakeRoute } from './http'
import { fakeId, type FakeCapture, type FakeOrder } from './state'

// Orders v2 subset: create, get, capture (incl. ORDER_ALREADY_CAPTURED / ORDER_NOT_APPROVED).

interface CreateBody {
  intent?: string
  purchase_units?: Array<{ reference_id?: string, custom_id?: string, description?: string, amount?: { currency_code?: string, value?: string } }>
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
      amount: { currency_code: unit.amount.currency_code, value: unit.amount.value },
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
  const capture: FakeCapture = { id: fakeId('C'), status, amount: { ...unit.amount }, custom_id: unit.custom_id, create_time: now, update_time: now }
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

export const orderRoutes: FakeRoute[] = [
  route('POST', /^\/v2\/checkout\/orders$/, createOrder),
  route('GET', /^\/v2\/checkout\/orders\/([^/]+)$/, (req) => {
    const order = ownedOrder(req)
    return isResponse(order) ? order : { status: 200, body: presentOrder(order, req.baseUrl) }
  }),
  route('POST', /^\/v2\/checkout\/orders\/([^/]+)\/capture$/, captureOrder),
  // GET /v2/payments/captures/:id — the capture alone, for the app that owns its order.
  route('GET', /^\/v2\/payments\/captures\/([^/]+)$/, (req) => {
    const auth = bearerApp(req)
    if (isResponse(auth)) return auth
    for (const order of req.state.orders.values()) {
      const capture = order.purchase_units[0]?.payments?.captures.find(c => c.id === req.params[0])
      if (capture && order.owner === auth.clientId) {
        return { status: 200, body: { ...capture, supplementary_data: { related_ids: { order_id: order.id } } } }
      }
    }
    return paypalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.')
  }),
]
