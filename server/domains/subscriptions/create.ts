import { and, eq, isNull } from 'drizzle-orm'
import { webstoreSubscriptions, type WebstoreSubscriptionRow } from '../../db/schema'
import type { CreatedSubscription } from '../../../shared/contracts/subscriptions'
import type { Deps } from '../../platform/deps'
import { Conflict, Unavailable } from '../../platform/errors'
import { PayPalError, type PayPalSubscriptionView } from '../../integrations/paypal/client'
import type { PlatformPayPal } from './platform'
import { lockLicense, presentSubscription, readAndApply, recentRows, refreshStale, requirePlatform } from './subscriptions'

// POST create: a PayPal subscription waiting for the owner's approval, never two for one server
// (both could be approved and billed). Decisions are taken under the license lock, PayPal is
// called outside it: a create first reserves its row, and the row id is the PayPal-Request-Id,
// so concurrent creates that find the same reserved row get the same PayPal subscription back.

/** An approval link is reused for this long before a fresh subscription is created instead. */
const REUSE_PENDING_MS = 3 * 60 * 60 * 1000
const UNAVAILABLE = 'PayPal could not start the subscription right now. Please try again in a few minutes.'

type Step =
  | { kind: 'done', result: CreatedSubscription }
  /** A pending subscription not read since it was made (by a concurrent create): read it from PayPal. */
  | { kind: 'read', row: WebstoreSubscriptionRow & { paypalSubscriptionId: string } }
  /** A reserved row without its PayPal subscription yet: create it (idempotent by the row id). */
  | { kind: 'start', row: WebstoreSubscriptionRow }

/** Under the license lock: 409, reuse, read, or reserve a row for a new subscription. */
async function nextStep(deps: Deps, platform: PlatformPayPal, licenseId: string, views: Map<string, PayPalSubscriptionView>, unusable: Set<string>): Promise<Step> {
  return deps.db.transaction(async (tx): Promise<Step> => {
    await lockLicense({ ...deps, db: tx }, licenseId)
    const now = deps.clock.now()
    const recent = (r: WebstoreSubscriptionRow) => now.getTime() - r.createdAt.getTime() < REUSE_PENDING_MS
    const rows = await recentRows({ ...deps, db: tx }, licenseId)
    const active = rows.find(r => r.status === 'ACTIVE')
    if (active) throw new Conflict('This server already has an active webstore subscription', { subscription: presentSubscription(active) })
    // Approved by the owner, being activated by PayPal: a second one could be approved and billed too.
    const approved = rows.find(r => r.status === 'APPROVED' && recent(r))
    if (approved) throw new Conflict('This server\'s webstore subscription was approved at PayPal and is being activated', { subscription: presentSubscription(approved) })
    // Read from PayPal without an approval link, or unknown to PayPal: not reusable.
    const reusable = (r: WebstoreSubscriptionRow) => !unusable.has(r.id) && (!views.has(r.id) || Boolean(views.get(r.id)?.approvalUrl))
    const pending = rows.find(r => r.status === 'APPROVAL_PENDING' && recent(r) && reusable(r))
    if (pending) {
      const approvalUrl = views.get(pending.id)?.approvalUrl
      if (approvalUrl) return { kind: 'done', result: { id: pending.id, status: 'APPROVAL_PENDING', approval_url: approvalUrl } }
      const paypalSubscriptionId = pending.paypalSubscriptionId
      return paypalSubscriptionId ? { kind: 'read', row: { ...pending, paypalSubscriptionId } } : { kind: 'start', row: pending }
    }
    const [reserved] = await tx.insert(webstoreSubscriptions)
      .values({ licenseId, status: 'APPROVAL_PENDING', planId: platform.planId, createdAt: now, updatedAt: now })
      .returning()
    return { kind: 'start', row: reserved! }
  })
}

/** Creates the reserved row's subscription at PayPal and records it on the row. */
async function start(deps: Deps, platform: PlatformPayPal, license: { id: string }, row: WebstoreSubscriptionRow): Promise<CreatedSubscription> {
  const back = `${deps.env.publicUrl}/admin/webstore/subscription?license=${encodeURIComponent(license.id)}`
  let created
  try {
    created = await platform.paypal.createSubscription({
      planId: platform.planId,
      customId: license.id,
      requestId: row.id,
      brandName: 'Cairn webstore',
      returnUrl: `${back}&paypal=return`,
      cancelUrl: `${back}&paypal=cancel`,
    })
  }
  catch (error) {
    deps.log.error('webstore subscription create failed at PayPal', { license_id: license.id, error: (error as Error).message })
    // Only a reservation nobody completed: a create sharing it may have succeeded meanwhile.
    await deps.db.delete(webstoreSubscriptions)
      .where(and(eq(webstoreSubscriptions.id, row.id), eq(webstoreSubscriptions.licenseId, license.id), isNull(webstoreSubscriptions.paypalSubscriptionId)))
    throw new Unavailable(UNAVAILABLE)
  }
  const now = deps.clock.now()
  const planId = created.planId ?? platform.planId
  // An upsert: the row is back even if a failed create sharing the reservation removed it meanwhile.
  await deps.db.insert(webstoreSubscriptions)
    .values({ id: row.id, licenseId: license.id, status: 'APPROVAL_PENDING', paypalSubscriptionId: created.id, planId, createdAt: row.createdAt, updatedAt: now })
    .onConflictDoUpdate({ target: webstoreSubscriptions.id, set: { paypalSubscriptionId: created.id, planId, updatedAt: now }, setWhere: isNull(webstoreSubscriptions.paypalSubscriptionId) })
  return { id: row.id, status: 'APPROVAL_PENDING', approval_url: created.approvalUrl }
}

/**
 * A recent pending subscription is reused (same approval link) instead of piling up
 * subscriptions; an ACTIVE one → 409, and so is one the owner already approved (APPROVED).
 */
export async function createSubscription(deps: Deps, license: { id: string, subdomain: string }): Promise<CreatedSubscription> {
  const platform = requirePlatform(deps)
  const views = await refreshStale(deps, license.id)
  const unusable = new Set<string>()
  // Each read settles one row (reused, 409, or no longer pending), so a few rounds always suffice.
  for (let round = 0; round < 5; round++) {
    const step = await nextStep(deps, platform, license.id, views, unusable)
    if (step.kind === 'done') return step.result
    if (step.kind === 'start') return start(deps, platform, license, step.row)
    try {
      views.set(step.row.id, await readAndApply(deps, platform, step.row))
    }
    catch (error) {
      if (!(error instanceof PayPalError)) throw error
      if (error.kind === 'transient') throw new Unavailable(UNAVAILABLE)
      unusable.add(step.row.id)
    }
  }
  throw new Unavailable(UNAVAILABLE)
}
