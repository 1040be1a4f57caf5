import { and, desc, eq, inArray, ne } from 'drizzle-orm'
import type { Db } from '../../db'
import { licenses, SUBSCRIPTION_STATUSES, webstoreSubscriptions, type SubscriptionStatus, type WebstoreSubscriptionRow } from '../../db/schema'
import type { CreatedSubscription, WebstoreSubscription } from '../../../shared/contracts/subscriptions'
import { Conflict, Unavailable } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import { PayPalError } from '../../integrations/paypal/client'
import { cancelPayPalSubscription, createPayPalSubscription, getPayPalSubscription, type PayPalSubscriptionView } from '../../integrations/paypal/subscriptions'
import type { PlatformPayPal } from './platform'

// The owner's webstore subscription, billed by the platform's PayPal app. PayPal is the source of
// truth: Cairn stores what it last read from PayPal (status, next billing time) and re-reads it
// on the owner's return, on webhooks and before cancelling.

export interface SubscriptionDeps {
  db: Db
  now: () => Date
  /** Null when PLATFORM_PAYPAL_* is not configured. */
  platform: PlatformPayPal | null
  publicUrl: string
  log: Logger
}

/** An approval link is reused for this long before a fresh subscription is created instead. */
const REUSE_PENDING_MS = 3 * 60 * 60 * 1000
const PENDING_STATUSES: SubscriptionStatus[] = ['APPROVAL_PENDING', 'APPROVED']
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

function requirePlatform(deps: SubscriptionDeps): PlatformPayPal {
  if (!deps.platform) {
    throw new Unavailable('Webstore subscriptions are not available: the platform\'s PayPal account is not configured (PLATFORM_PAYPAL_* settings). Please contact the platform operator.')
  }
  return deps.platform
}

/** Serialises subscription changes of one license (NO KEY UPDATE: inserts referencing it still run). */
async function lockLicense(db: Db, licenseId: string): Promise<void> {
  await db.select({ id: licenses.id }).from(licenses).where(eq(licenses.id, licenseId)).for('no key update')
}

async function recentRows(db: Db, licenseId: string): Promise<WebstoreSubscriptionRow[]> {
  return db.select().from(webstoreSubscriptions)
    .where(eq(webstoreSubscriptions.licenseId, licenseId))
    .orderBy(desc(webstoreSubscriptions.createdAt), desc(webstoreSubscriptions.id))
    .limit(20)
}

/** The subscription the owner sees: the ACTIVE one if any, else the newest. */
function currentOf(rows: WebstoreSubscriptionRow[]): WebstoreSubscriptionRow | undefined {
  return rows.find(r => r.status === 'ACTIVE') ?? rows[0]
}

export type ApplyOutcome = 'changed' | 'unchanged' | 'duplicate_cancelled' | 'unknown'

/**
 * Writes what PayPal says about one of the license's subscriptions. A second subscription that
 * turns ACTIVE while another one is (the owner approved twice) is recorded CANCELLED; the caller
 * cancels it at PayPal too, so the owner is never billed twice.
 */
export async function applyPayPalView(db: Db, licenseId: string, rowId: string, view: PayPalSubscriptionView, now: Date): Promise<ApplyOutcome> {
  return db.transaction(async (tx) => {
    await lockLicense(tx, licenseId)
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
export async function cancelDuplicate(deps: SubscriptionDeps, paypalSubscriptionId: string): Promise<void> {
  if (!deps.platform) return
  try {
    await cancelPayPalSubscription(deps.platform.credentials, paypalSubscriptionId, 'Duplicate webstore subscription for the same server')
  }
  catch (error) {
    deps.log.error('could not cancel a duplicate webstore subscription at PayPal', { paypal_subscription_id: paypalSubscriptionId, error: (error as Error).message })
  }
}

/** Re-reads from PayPal one stored subscription and applies it; PayPal failures are logged, not thrown. */
async function refreshRow(deps: SubscriptionDeps, platform: PlatformPayPal, row: WebstoreSubscriptionRow): Promise<PayPalSubscriptionView | null> {
  if (!row.paypalSubscriptionId) return null
  let view: PayPalSubscriptionView
  try {
    view = await getPayPalSubscription(platform.credentials, row.paypalSubscriptionId)
  }
  catch (error) {
    deps.log.warn('webstore subscription refresh failed', { subscription_id: row.id, error: (error as Error).message })
    return null
  }
  const outcome = await applyPayPalView(deps.db, row.licenseId, row.id, view, deps.now())
  if (outcome === 'duplicate_cancelled') await cancelDuplicate(deps, row.paypalSubscriptionId)
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

async function refreshStale(deps: SubscriptionDeps, licenseId: string): Promise<Map<string, PayPalSubscriptionView>> {
  const views = new Map<string, PayPalSubscriptionView>()
  if (!deps.platform) return views
  const now = deps.now()
  const stale = (await recentRows(deps.db, licenseId)).filter(r => needsRefresh(r, now)).slice(0, 3)
  for (const row of stale) {
    const view = await refreshRow(deps, deps.platform, row)
    if (view) views.set(row.id, view)
  }
  return views
}

/** GET: the current subscription, refreshed from PayPal when it may have changed there. */
export async function getSubscription(deps: SubscriptionDeps, licenseId: string): Promise<WebstoreSubscription | null> {
  await refreshStale(deps, licenseId)
  const row = currentOf(await recentRows(deps.db, licenseId))
  return row ? presentSubscription(row) : null
}

/**
 * POST create: a PayPal subscription waiting for the owner's approval. A recent pending one is
 * reused (same approval link) instead of piling up subscriptions; an ACTIVE one → 409, and so is
 * one the owner already approved that PayPal is activating (APPROVED): a second subscription
 * could be approved too and billed. Concurrent creates are serialised by the license lock, and
 * the later ones reuse the pending subscription the first one made.
 */
export async function createSubscription(deps: SubscriptionDeps, license: { id: string, subdomain: string }): Promise<CreatedSubscription> {
  const platform = requirePlatform(deps)
  const views = await refreshStale(deps, license.id)
  const duplicates: string[] = []
  const result = await deps.db.transaction(async (tx): Promise<CreatedSubscription> => {
    await lockLicense(tx, license.id)
    const now = deps.now()
    const reusableAge = (r: WebstoreSubscriptionRow) => now.getTime() - r.createdAt.getTime() < REUSE_PENDING_MS
    // Pending rows written after our refresh (by a concurrent create): read them from PayPal now,
    // under the lock, so their approval link is reused rather than a second subscription made.
    for (const r of await recentRows(tx, license.id)) {
      if (!PENDING_STATUSES.includes(r.status) || !reusableAge(r) || views.has(r.id) || !r.paypalSubscriptionId) continue
      const view = await getPayPalSubscription(platform.credentials, r.paypalSubscriptionId).catch(() => null)
      if (!view) continue
      views.set(r.id, view)
      if (await applyPayPalView(tx, license.id, r.id, view, now) === 'duplicate_cancelled') duplicates.push(r.paypalSubscriptionId)
    }
    const rows = await recentRows(tx, license.id)
    const active = rows.find(r => r.status === 'ACTIVE')
    if (active) throw new Conflict('This server already has an active webstore subscription', { subscription: presentSubscription(active) })
    const approved = rows.find(r => r.status === 'APPROVED' && reusableAge(r))
    if (approved) throw new Conflict('This server\'s webstore subscription was approved at PayPal and is being activated', { subscription: presentSubscription(approved) })
    const reusable = rows.find(r => r.status === 'APPROVAL_PENDING' && reusableAge(r) && views.get(r.id)?.approvalUrl)
    if (reusable) return { id: reusable.id, status: 'APPROVAL_PENDING', approval_url: views.get(reusable.id)!.approvalUrl! }

    const id = globalThis.crypto.randomUUID()
    const back = `${deps.publicUrl}/admin/webstore/subscription?license=${encodeURIComponent(license.id)}`
    let created
    try {
      created = await createPayPalSubscription(platform.credentials, {
        planId: platform.planId,
        customId: license.id,
        requestId: id,
        brandName: 'Cairn webstore',
        returnUrl: `${back}&paypal=return`,
        cancelUrl: `${back}&paypal=cancel`,
      })
    }
    catch (error) {
      deps.log.error('webstore subscription create failed at PayPal', { license_id: license.id, error: (error as Error).message })
      throw new Unavailable('PayPal could not start the subscription right now. Please try again in a few minutes.')
    }
    await tx.insert(webstoreSubscriptions).values({
      id,
      licenseId: license.id,
      status: 'APPROVAL_PENDING',
      paypalSubscriptionId: created.id,
      planId: created.planId ?? platform.planId,
      createdAt: now,
      updatedAt: now,
    })
    return { id, status: 'APPROVAL_PENDING', approval_url: created.approvalUrl }
  })
  for (const paypalId of duplicates) await cancelDuplicate(deps, paypalId)
  return result
}

/** POST cancel: cancels the ACTIVE (or SUSPENDED) subscription at PayPal, then records it; none → 409. */
export async function cancelSubscription(deps: SubscriptionDeps, licenseId: string): Promise<WebstoreSubscription> {
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
      await cancelPayPalSubscription(platform.credentials, row.paypalSubscriptionId, CANCEL_REASON)
    }
    catch (error) {
      if (!(error instanceof PayPalError) || error.statusCode === 0 || error.statusCode >= 500) {
        throw new Unavailable('PayPal could not cancel the subscription right now. Please try again in a few minutes.')
      }
      // 422: PayPal already has it cancelled or expired; 404: PayPal never knew it. Read what it says.
      view = await getPayPalSubscription(platform.credentials, row.paypalSubscriptionId).catch(() => null)
      if (view ? CANCELLABLE.includes(view.status as SubscriptionStatus) : error.statusCode !== 404) {
        deps.log.error('PayPal refused to cancel a webstore subscription', { subscription_id: row.id, error: error.message })
        throw new Unavailable('PayPal refused to cancel the subscription. Please try again later or cancel it in your PayPal account.')
      }
    }
  }
  const now = deps.now()
  const finalView: PayPalSubscriptionView = view
    ?? { id: row.paypalSubscriptionId ?? row.id, status: 'CANCELLED', planId: null, customId: null, nextBillingTime: null, approvalUrl: null }
  await applyPayPalView(deps.db, licenseId, row.id, finalView, now)
  // PayPal had already ended it another way (EXPIRED): there was nothing active to cancel.
  if (finalView.status !== 'CANCELLED') throw new Conflict(`There is no active webstore subscription to cancel (PayPal reports it ${finalView.status.toLowerCase()})`)
  const [updated] = await deps.db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.id, row.id))
  return presentSubscription(updated!)
}
