// In-memory state of the fake PayPal: registered REST apps, access tokens, orders, webhooks.
// Kept separate from the HTTP layer so later features (subscriptions) add their own maps.

export interface FakeApp {
  clientId: string
  clientSecret: string
  /** Webhook ids registered for this app (verify-webhook-signature only accepts these). */
  webhookIds: Set<string>
}

export interface FakeRefund {
  id: string
  status: 'COMPLETED'
  amount: { currency_code: string, value: string }
  note_to_payer?: string
  create_time: string
  update_time: string
}

export interface FakeCapture {
  id: string
  status: 'COMPLETED' | 'DECLINED' | 'PENDING' | 'REFUNDED' | 'PARTIALLY_REFUNDED' | 'REVERSED'
  amount: { currency_code: string, value: string }
  custom_id: string | undefined
  create_time: string
  update_time: string
}

export interface FakeOrder {
  id: string
  /** Client id of the app that created it: other apps get 404, as on PayPal. */
  owner: string
  requestId: string | undefined
  status: 'CREATED' | 'APPROVED' | 'COMPLETED' | 'VOIDED'
  intent: string
  purchase_units: Array<{
    reference_id: string
    amount: { currency_code: string, value: string, breakdown?: Record<string, { currency_code?: string, value?: string }> }
    items?: Array<{ name?: string, quantity?: string, unit_amount?: { currency_code?: string, value?: string }, sku?: string }>
    custom_id?: string
    description?: string
    payments?: { captures: FakeCapture[] }
  }>
  returnUrl: string | undefined
  cancelUrl: string | undefined
  /** Whether the create call used `payment_source.paypal` (PayPal answers with a `payer-action` link). */
  payerAction: boolean
  payer: { payer_id: string, email_address: string } | undefined
  create_time: string
  update_time: string
}

export interface FakeStats {
  tokenRequests: number
  /** API calls refused because their bearer token is unknown (a token another app or fake issued). */
  rejectedTokens: number
  ordersCreated: number
  captureCalls: number
  refundCalls: number
  verifyCalls: number
}

/** `/__fake/fail`: the next `remaining` requests whose path starts with `pathPrefix` answer `status`. */
export interface FakeFailure {
  pathPrefix: string
  status: number
  remaining: number
  /** Answer with this content type and body instead of PayPal's JSON error. */
  contentType?: string
  body?: string
}

export class FakeState {
  readonly apps = new Map<string, FakeApp>()
  /** access token → client id */
  readonly tokens = new Map<string, string>()
  readonly orders = new Map<string, FakeOrder>()
  /** `${clientId}:${requestId}` → order id (PayPal-Request-Id idempotency). */
  readonly requestIds = new Map<string, string>()
  /** capture id → its refunds. */
  readonly refunds = new Map<string, FakeRefund[]>()
  /** In-process gates: the first request under a path prefix waits until released (see `hold`). */
  readonly holds: Array<{ pathPrefix: string, arrived: () => void, released: Promise<void> }> = []
  /** Injected failures, consumed in order (see FakeFailure). */
  readonly failures: FakeFailure[] = []
  /** transmission id → signature issued by `signWebhook`. */
  readonly transmissions = new Map<string, { webhookId: string, sig: string, raw?: boolean }>()
  /** Extension point for later fakes (subscriptions, plans): keyed maps of their own. */
  readonly extra = new Map<string, unknown>()
  stats: FakeStats = { tokenRequests: 0, rejectedTokens: 0, ordersCreated: 0, captureCalls: 0, refundCalls: 0, verifyCalls: 0 }

  /**
   * Holds the next request under `pathPrefix` before it is handled: `reached` resolves when it
   * arrives, and it is answered only after `release()`. Lets a test look at Cairn mid-call.
   */
  hold(pathPrefix: string): { reached: Promise<void>, release: () => void } {
    let arrived!: () => void
    let release!: () => void
    const reached = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    this.holds.push({ pathPrefix, arrived, released })
    return { reached, release }
  }

  registerApp(clientId: string, clientSecret: string, webhookIds: string[] = []): FakeApp {
    const existing = this.apps.get(clientId)
    if (existing) {
      existing.clientSecret = clientSecret
      for (const w of webhookIds) existing.webhookIds.add(w)
      return existing
    }
    const app = { clientId, clientSecret, webhookIds: new Set(webhookIds) }
    this.apps.set(clientId, app)
    return app
  }
}

let counter = 0
/** PayPal-looking ids: 17 upper-case alphanumerics. */
export function fakeId(prefix = ''): string {
  counter += 1
  const random = Math.random().toString(36).slice(2, 10).toUpperCase()
  return `${prefix}${random}${counter.toString(36).toUpperCase()}`.padEnd(17, 'X').slice(0, 17)
}
