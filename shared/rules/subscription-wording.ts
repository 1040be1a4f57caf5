import type { SubscriptionStatus } from '../contracts/enums'

// Wording and dates for the subscription UI (the page and the store notice agree).

export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—'
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

export const STATUS_LABEL: Record<SubscriptionStatus, string> = {
  APPROVAL_PENDING: 'Waiting for PayPal approval',
  APPROVED: 'Approved, starting',
  ACTIVE: 'Active',
  SUSPENDED: 'Suspended by PayPal',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
}

/** Why the store is closed to players when the subscription is in `status` (null when it is not). */
export function closedReason(status: SubscriptionStatus | null): string | null {
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
