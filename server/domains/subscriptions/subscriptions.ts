import { and, desc, eq, inArray, ne } from 'drizzle-orm'
import { licenses, webstoreSubscriptions, type WebstoreSubscriptionRow } from '../../db/schema'
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus, type SubscriptionWebhookOutcome } from '../../../shared/contracts/enums'
import type { WebstoreSubscription } from '../../../shared/contracts/subscriptions'
import type { Deps } from '../../platform/deps'
import { Conflict, Unavailable } from '../../platform/errors'
import { PayPalError, refusedByPayPal, type PayPalSubscriptionView } from '../../integrations/paypal/client'
import { platformPayPal, type PlatformPayPal } from './platform'

// The owner's webstore subscription, billed by the platform's PayPal app. PayPal is the source of
// truth: Cairn stores what it last read from PayPal (status, next billing time) and re-reads it
// on the owner's return, on webhooks and before cancelling.

export const PENDING_STATUSES: SubscriptionStatus[] = ['APPROVAL_PENDING', 'APPROVED']
const CANCELLABLE: SubscriptionStatus[] = ['ACTIVE', 'SUSPENDED']
const CANCEL_REASON = 'Cancelled by the server owner in the Cairn panel'

export function presentSubscription(row: WebstoreSubscriptionRow): WebstoreSubscription {
  return {
    id: row.id,
    status: row.status,
    paypal_subscription_id: row.paypalSubscriptionId,
    current_period_end: row.currentPeriodEnd?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    cancelled_at: row.cancelledAt?.toISOString() ?? null,
  }
}

export function requirePlatform(deps: Pick<Deps, 'env'>): PlatformPayPal {
  const platform = platformPayPal(deps.env)
  if (!platform) {
    throw new Unavailable('Webstore subscriptions are not available: the platform\'s PayPal account is not configured (PLATFORM_PAYPAL_* settings). Please contact the platform operator.')
  }
  return platform
}

/** Serialises subscription changes of one license (NO KEY UPDATE: inserts referencing it still run). */
export async function lockLicense(deps: Deps, licenseId: string): Promise<void> {
  await deps.db.select({ id: licenses.id }).from(licenses).where(eq(licenses.id, licenseId)).for('no key update')
}

export async function recentRows(deps: Deps, licenseId: string): Promise<WebstoreSubscriptionRow[]> {
  return deps.db.select().from(webstoreSubscriptions)
    .where(eq(webstoreSubscriptions.licenseId, licenseId))
    .orderBy(desc(webstoreSubscriptions.createdAt), desc(webstoreSubscriptions.id))
    .limit(20)
}

/** The subscription the owner sees: the ACTIVE one if any, else the newest. */
function currentOf(rows: WebstoreSubscriptionRow[]): WebstoreSubscriptionRow | undefined {
  return rows.find(r => r.status === 'ACTIVE') ?? rows[0]
}

export type ApplyOutcome = Exclude<SubscriptionWebhookOutcome, 'duplicate' | 'ignored'>

/**
 * Writes what PayPal says about one of the license's subscriptions. A second subscription that
 * turns ACTIVE while another one is (the owner approved twice) is recorded CANCELLED; the caller
 * cancels it at PayPal too, so the owner is never billed twice.
 */
export async function applyPayPalView(deps: Deps, licenseId: string, rowId: string, view: PayPalSubscriptionView): Promise<ApplyOutcome> {
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    await lockLicense({ ...deps, db: tx }, licenseId)
    const [row] = await tx.select().from(webstoreSubscriptions)
      .where(and(eq(webstoreSubscriptions.id, rowId), eq(webstoreSubscriptions.licenseId, licenseId)))
    if (!row) return 'unknown'
    let status: SubscriptionStatus = (SUBSCRIPTION_STATUSES as readonly string[]).includes(view.status) ? view.status as SubscriptionStatus : row.status
    let outcome: ApplyOutcome = 'changed'
    if (status === 'ACTIVE' && row.status !== 'ACTIVE') {
      const [other] = await tx.select({ id: webstoreSubscriptions.id }).from(webstoreSubscriptions)
        .where(and(eq(webstoreSubscriptions.licenseId, licenseId), eq(webstoreSubscriptions.status, 'ACTIVE'), ne(webstoreSubscriptions.id, row.id)))
      if (other) {
        status = 'CANCELLED'
        outcome = 'duplicate_cancelled'
      }
    }
    const next = {
      status,
      // PayPal drops next_billing_time once cancelled: keep the last known end of the paid period.
      currentPeriodEnd: view.nextBillingTime ?? row.currentPeriodEnd,
      planId: view.planId ?? row.planId,
      cancelledAt: status === 'CANCELLED' ? row.cancelledAt ?? now : row.cancelledAt,
    }
    const same = next.status === row.status && next.currentPeriodEnd?.getTime() === row.currentPeriodEnd?.getTime()
      && next.planId === row.planId && next.cancelledAt?.getTime() === row.cancelledAt?.getTime()
    if (same) return 'unchanged'
    await tx.update(webstoreSubscriptions).set({ ...next, updatedAt: now }).where(eq(webstoreSubscriptions.id, row.id))
    return outcome
  })
}

/** Cancels at PayPal a subscription that duplicated an active one (best effort; logged). */
export async function cancelDuplicate(deps: Pick<Deps, 'log'>, platform: PlatformPayPal, paypalSubscriptionId: string): Promise<void> {
  try {
    await platform.paypal.cancelSubscription(paypalSubscriptionId, 'Duplicate webstore subscription for the same server')
  }
  catch (error) {
    deps.log.error('could not cancel a duplicate webstore subscription at PayPal', { paypal_subscription_id: paypalSubscriptionId, error: (error as Error).message })
  }
}

/** Reads one stored subscription from PayPal and applies it; PayPal failures are thrown. */
export async function readAndApply(deps: Deps, platform: PlatformPayPal, row: WebstoreSubscriptionRow & { paypalSubscriptionId: string }): Promise<PayPalSubscriptionView> {
  const view = await platform.paypal.getSubscription(row.paypalSubscriptionId)
  const outcome = await applyPayPalView(deps, row.licenseId, row.id, view)
  if (outcome === 'duplicate_cancelled') await cancelDuplicate(deps, platform, row.paypalSubscriptionId)
  return view
}

/**
 * Rows whose truth may have moved at PayPal without a webhook reaching us yet: pending ones (the
 * owner just approved) and active ones past their paid period (a renewal or an expiry).
 */
function needsRefresh(row: WebstoreSubscriptionRow, now: Date): boolean {
  if (PENDING_STATUSES.includes(row.status)) return now.getTime() - row.createdAt.getTime() < 30 * 24 * 60 * 60 * 1000
  return row.status === 'ACTIVE' && row.currentPeriodEnd !== null && row.currentPeriodEnd.getTime() < now.getTime()
}

/** Re-reads stale rows from PayPal (its failures are logged, not thrown); the views read, by row id. */
export async function refreshStale(deps: Deps, licenseId: string): Promise<Map<string, PayPalSubscriptionView>> {
  const views = new Map<string, PayPalSubscriptionView>()
  const platform = platformPayPal(deps.env)
  if (!platform) return views
  const now = deps.clock.now()
  const stale = (await recentRows(deps, licenseId)).filter(r => needsRefresh(r, now)).slice(0, 3)
  for (const row of stale) {
    const paypalSubscriptionId = row.paypalSubscriptionId
    if (!paypalSubscriptionId) continue
    try {
      views.set(row.id, await readAndApply(deps, platform, { ...row, paypalSubscriptionId }))
    }
    catch (error) {
      if (!(error instanceof PayPalError)) throw error
      deps.log.warn('webstore subscription refresh failed', { subscription_id: row.id, error: (error as Error).message })
    }
  }
  return views
}

/** GET: the current subscription, refreshed from PayPal when it may have changed there. */
export async function getSubscription(deps: Deps, licenseId: string): Promise<WebstoreSubscription | null> {
  await refreshStale(deps, licenseId)
  const row = currentOf(await recentRows(deps, licenseId))
  return row ? presentSubscription(row) : null
}

/** POST cancel: cancels the ACTIVE (or SUSPENDED) subscription at PayPal, then records it; none → 409. */
export async function cancelSubscription(deps: Deps, licenseId: string): Promise<WebstoreSubscription> {
  // Approved at PayPal but not re-read yet is still active: cancelling it must work.
  await refreshStale(deps, licenseId)
  const [row] = await deps.db.select().from(webstoreSubscriptions)
    .where(and(eq(webstoreSubscriptions.licenseId, licenseId), inArray(webstoreSubscriptions.status, CANCELLABLE)))
    .orderBy(desc(webstoreSubscriptions.createdAt))
    .limit(1)
  if (!row) throw new Conflict('There is no active webstore subscription to cancel')
  const platform = requirePlatform(deps)
  let view: PayPalSubscriptionView | null = null
  if (row.paypalSubscriptionId) {
    try {
      await platform.paypal.cancelSubscription(row.paypalSubscriptionId, CANCEL_REASON)
    }
    catch (error) {
      if (!refusedByPayPal(error)) {
        throw new Unavailable('PayPal could not cancel the subscription right now. Please try again in a few minutes.')
      }
      // 422: PayPal already has it cancelled or expired; 404: PayPal never knew it. Read what it says.
      view = await platform.paypal.getSubscription(row.paypalSubscriptionId).catch(() => null)
      if (view ? CANCELLABLE.includes(view.status as SubscriptionStatus) : error.statusCode !== 404) {
        deps.log.error('PayPal refused to cancel a webstore subscription', { subscription_id: row.id, error: error.message })
        throw new Unavailable('PayPal refused to cancel the subscription. Please try again later or cancel it in your PayPal account.')
      }
    }
  }
  const finalView: PayPalSubscriptionView = view
    ?? { id: row.paypalSubscriptionId ?? row.id, status: 'CANCELLED', planId: null, customId: null, nextBillingTime: null, approvalUrl: null }
  await applyPayPalView(deps, licenseId, row.id, finalView)
  // PayPal had already ended it another way (EXPIRED): there was nothing active to cancel.
  if (finalView.status !== 'CANCELLED') throw new Conflict(`There is no active webstore subscription to cancel (PayPal reports it ${finalView.status.toLowerCase()})`)
  const [updated] = await deps.db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.id, row.id))
  return presentSubscription(updated!)
}
