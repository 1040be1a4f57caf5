import { describe, expect, inject, it } from 'vitest'
import { createOwner, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { approveAtPayPal, fakeSubscription, paypalSubscriptionEvent } from '../support/subscriptions'

// POST /api/webstore/subscription/cancel against the contract: 200 always means CANCELLED, 409
// when nothing is active, also when PayPal already ended it another way and its webhook has not
// arrived yet; cancelling twice (or concurrently) never answers 5xx or bills again.

const skip = inject('skipReason') !== ''

interface SubBody { subscription?: { id: string, status: string, paypal_subscription_id?: string | null }, message?: string }

const as = (owner: Owner) => ({ token: owner.token, headers: { 'x-forwarded-for': fakeIp() } })
const createSub = (owner: Owner) => call<SubBody & { subscription?: { approval_url?: string } }>('/api/webstore/subscription/create', { method: 'POST', ...as(owner) })
const cancelSub = (owner: Owner) => call<SubBody>('/api/webstore/subscription/cancel', { method: 'POST', ...as(owner) })
const getSub = (owner: Owner) => call<SubBody>('/api/webstore/subscription', as(owner))

/** An owner whose subscription is ACTIVE (approved at PayPal, seen by Cairn); its PayPal id. */
async function activeOwner(tag: string): Promise<{ owner: Owner, paypalId: string }> {
  const owner = await createOwner(1, tag)
  const created = await createSub(owner)
  expect(created.status).toBe(201)
  const back = await approveAtPayPal(created.body.subscription!.approval_url!)
  const active = await getSub(owner)
  expect(active.body.subscription?.status).toBe('ACTIVE')
  return { owner, paypalId: back.searchParams.get('subscription_id')! }
}

describe.skipIf(skip)('webstore subscription cancel', () => {
  it('expired at PayPal before its webhook arrived: 409 (nothing active), and GET shows EXPIRED', async () => {
    const { owner, paypalId } = await activeOwner('subexp')
    // PayPal ends it; the webhook is not delivered (yet).
    await paypalSubscriptionEvent(paypalId, 'BILLING.SUBSCRIPTION.EXPIRED')
    const res = await cancelSub(owner)
    expect(res.status).toBe(409)
    expect(res.body.message).toMatch(/no active/i)
    expect((await getSub(owner)).body.subscription?.status).toBe('EXPIRED')
    expect((await cancelSub(owner)).status).toBe(409)
  })

  it('cancelled in the owner\'s PayPal account before its webhook arrived: 200 CANCELLED', async () => {
    const { owner, paypalId } = await activeOwner('subppcancel')
    await paypalSubscriptionEvent(paypalId, 'BILLING.SUBSCRIPTION.CANCELLED')
    const res = await cancelSub(owner)
    expect(res.status).toBe(200)
    expect(res.body.subscription).toMatchObject({ status: 'CANCELLED', paypal_subscription_id: paypalId })
  })

  it('concurrent cancels: each answers 200 CANCELLED or 409, never 5xx; PayPal has it CANCELLED once', async () => {
    const { owner, paypalId } = await activeOwner('subcc')
    const results = await Promise.all(Array.from({ length: 5 }, () => cancelSub(owner)))
    for (const r of results) {
      expect([200, 409]).toContain(r.status)
      if (r.status === 200) expect(r.body.subscription?.status).toBe('CANCELLED')
    }
    expect(results.some(r => r.status === 200)).toBe(true)
    expect((await fakeSubscription(paypalId)).status).toBe('CANCELLED')
    expect((await cancelSub(owner)).status).toBe(409)
  })
})
