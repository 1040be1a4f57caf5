// Wire shapes of /api/webstore/subscription* (API.md), shared by the server presenter and the panel.

/** PayPal's subscription states, as Cairn stores them. Only ACTIVE opens the store. */
export type SubscriptionStatusName = 'APPROVAL_PENDING' | 'APPROVED' | 'ACTIVE' | 'SUSPENDED' | 'CANCELLED' | 'EXPIRED'

export interface WebstoreSubscription {
  id: string
  status: SubscriptionStatusName
  paypal_subscription_id: string | null
  /** End of the period paid for (PayPal's next billing time); kept after a cancel. */
  current_period_end: string | null
  created_at: string
  cancelled_at: string | null
}

/** POST /api/webstore/subscription/create → 201. */
export interface CreatedSubscription {
  id: string
  status: 'APPROVAL_PENDING'
  approval_url: string
}
