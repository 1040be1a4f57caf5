import { paypalError, route, type FakeRequest, type FakeRoute } from './http'
import { approveOrder, completeCapture, presentOrder } from './orders'
import { signWebhook } from './webhooks'
import type { FakeCapture } from './state'

// Test-only controls under /__fake: what a buyer or PayPal itself would do, driven over HTTP so
// test workers can use a fake that runs in the vitest global-setup process.

function order(req: FakeRequest) {
  return req.state.orders.get(req.params[0] ?? '')
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

export const controlRoutes: FakeRoute[] = [
  route('POST', /^\/__fake\/apps$/, (req) => {
    const body = (req.body ?? {}) as { client_id?: string, client_secret?: string, webhook_ids?: string[] }
    if (!body.client_id || !body.client_secret) return { status: 400, body: { error: 'client_id and client_secret required' } }
    req.state.registerApp(body.client_id, body.client_secret, body.webhook_ids ?? [])
    return { status: 201, body: { client_id: body.client_id } }
  }),
  route('GET', /^\/__fake\/orders\/([^/]+)$/, (req) => {
    const o = order(req)
    return o ? { status: 200, body: { ...presentOrder(o, req.baseUrl), owner: o.owner, return_url: o.returnUrl, cancel_url: o.cancelUrl, request_id: o.requestId } } : paypalError(404, 'RESOURCE_NOT_FOUND')
  }),
  route('POST', /^\/__fake\/orders\/([^/]+)\/approve$/, (req) => {
    const o = order(req)
    if (!o) return paypalError(404, 'RESOURCE_NOT_FOUND')
    approveOrder(o)
    return { status: 200, body: { ...presentOrder(o, req.baseUrl), return_url: o.returnUrl } }
  }),
  route('POST', /^\/__fake\/orders\/([^/]+)\/decline$/, (req) => {
    req.state.extra.set(`decline:${req.params[0]}`, true)
    return { status: 200, body: {} }
  }),
  /** PayPal-side capture (as if captured elsewhere), so a webhook can report it. */
  route('POST', /^\/__fake\/orders\/([^/]+)\/complete$/, (req) => {
    const o = order(req)
    if (!o) return paypalError(404, 'RESOURCE_NOT_FOUND')
    approveOrder(o)
    const capture = o.status === 'COMPLETED' ? o.purchase_units[0]!.payments!.captures[0]! : completeCapture(o)
    return { status: 200, body: { order: presentOrder(o, req.baseUrl), capture } }
  }),
  /** Sets the capture's status (REFUNDED, REVERSED, ...) as a dispute or refund would. */
  route('POST', /^\/__fake\/orders\/([^/]+)\/capture-status$/, (req) => {
    const o = order(req)
    const capture = o?.purchase_units[0]?.payments?.captures[0]
    const status = (req.body as { status?: FakeCapture['status'] } | undefined)?.status
    if (!o || !capture || !status) return paypalError(404, 'RESOURCE_NOT_FOUND')
    capture.status = status
    capture.update_time = new Date().toISOString()
    return { status: 200, body: { capture } }
  }),
  route('POST', /^\/__fake\/webhooks\/sign$/, (req) => {
    const body = (req.body ?? {}) as { webhook_id?: string, event?: unknown, raw?: string }
    if (!body.webhook_id || (body.event === undefined && body.raw === undefined)) return { status: 400, body: { error: 'webhook_id and event (or raw) required' } }
    return { status: 200, body: { headers: signWebhook(req.state, req.baseUrl, body.webhook_id, body.event, body.raw) } }
  }),
  route('GET', /^\/__fake\/stats$/, req => ({ status: 200, body: req.state.stats })),
  /** The next `count` requests under `path_prefix` fail with `status` (PayPal's JSON error, or `content_type` + `body`). */
  route('POST', /^\/__fake\/fail$/, (req) => {
    const body = (req.body ?? {}) as { path_prefix?: string, status?: number, count?: number, content_type?: string, body?: string }
    if (!body.path_prefix?.startsWith('/v') || typeof body.status !== 'number') return { status: 400, body: { error: 'path_prefix (/v...) and status required' } }
    req.state.failures.push({ pathPrefix: body.path_prefix, status: body.status, remaining: body.count ?? 1, contentType: body.content_type, body: body.body })
    return { status: 201, body: {} }
  }),
  // The buyer's approval page (the `approve` / `payer-action` link): one button back to the store.
  route('GET', /^\/checkoutnow$/, (req) => {
    const o = req.state.orders.get(req.query.get('token') ?? '')
    if (!o) return { status: 404, text: '<!doctype html><title>Not found</title><p>Unknown order</p>' }
    const unit = o.purchase_units[0]!
    return {
      status: 200,
      text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake PayPal checkout</title></head><body>
<h1>Fake PayPal</h1><p id="amount">Pay ${escapeHtml(unit.amount.value)} ${escapeHtml(unit.amount.currency_code)}</p>
<form method="post" action="/checkoutnow/approve?token=${encodeURIComponent(o.id)}"><button id="approve" type="submit">Approve payment</button></form>
<form method="post" action="/checkoutnow/cancel?token=${encodeURIComponent(o.id)}"><button id="cancel" type="submit">Cancel and return</button></form>
</body></html>`,
    }
  }),
  route('POST', /^\/checkoutnow\/(approve|cancel)$/, (req) => {
    const o = req.state.orders.get(req.query.get('token') ?? '')
    if (!o) return { status: 404, text: 'Unknown order' }
    const approve = req.params[0] === 'approve'
    if (approve) approveOrder(o)
    const target = approve ? o.returnUrl : o.cancelUrl
    if (!target) return { status: 200, text: 'approved (no return url)' }
    const url = new URL(target)
    url.searchParams.set('token', o.id)
    if (approve) url.searchParams.set('PayerID', o.payer?.payer_id ?? '')
    return { status: 303, headers: { location: url.toString() }, text: '' }
  }),
]
