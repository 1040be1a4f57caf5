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

// Wording and dates for the subscription UI (the page and the store notice agree).

export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—'
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

export const STATUS_LABEL: Record<SubscriptionStatusName, string> = {
  APPROVAL_PENDING: 'Waiting for PayPal approval',
  APPROVED: 'Approved, starting',
  ACTIVE: 'Active',
  SUSPENDED: 'Suspended by PayPal',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
}

/** Why the store is closed to players when the subscription is in `status` (null when it is not). */
export function closedReason(status: SubscriptionStatusName | null): string | null {
  switch (status) {
    case 'ACTIVE': return null
    case null: return 'you have no webstore subscription yet'
    case 'APPROVAL_PENDING':
    case 'APPROVED': return 'your webstore subscription is still waiting for approval at PayPal'
    case 'SUSPENDED': return 'PayPal suspended your webstore subscription (usually after a failed payment)'
    case 'CANCELLED': return 'your webstore subscription was cancelled'
    case 'EXPIRED': return 'your webstore subscription expired'
  }
}
