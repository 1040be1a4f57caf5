import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { webstoreSubscriptions } from '../../server/db/schema'
import { createOwner, serverDb, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'

// Subscription create against the contract: never two PayPal subscriptions for one server (they
// could both be approved and billed): concurrent creates share one, and one the owner already
// approved (PayPal's APPROVED, before ACTIVE) is a 409, not a reason to start another.

const skip = inject('skipReason') !== ''

interface Created { subscription?: { id: string, status: string, approval_url?: string }, message?: string }

const as = (owner: Owner) => ({ token: owner.token, headers: { 'x-forwarded-for': fakeIp() } })
const createSub = (owner: Owner) => call<Created>('/api/webstore/subscription/create', { method: 'POST', ...as(owner) })
const getSub = (owner: Owner) => call<{ subscription: { id: string, status: string } | null }>('/api/webstore/subscription', as(owner))

async function fake<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${inject('paypalUrl')}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`fake PayPal ${path}: ${res.status}`)
  return await res.json() as T
}

/** The subscriptions PayPal holds for the license (Cairn sends the license id as `custom_id`). */
const paypalSubscriptionsOf = async (licenseId: string) =>
  (await fake<{ subscriptions: Array<{ id: string, status: string }> }>(`/__fake/subscriptions?custom_id=${licenseId}`)).subscriptions

describe.skipIf(skip)('webstore subscription create: one PayPal subscription per server', () => {
  let owner: Owner
  beforeAll(async () => {
    owner = await createOwner(1, 'subconc')
  })

  it('concurrent creates all answer 201 with the same subscription and approval link; PayPal has exactly one', async () => {
    const licenseId = owner.licenses[0]!.id
    const results = await Promise.all(Array.from({ length: 8 }, () => createSub(owner)))
    for (const r of results) expect(r.status).toBe(201)
    const ids = new Set(results.map(r => r.body.subscription!.id))
    const links = new Set(results.map(r => r.body.subscription!.approval_url))
    expect(ids.size).toBe(1)
    expect(links.size).toBe(1)
    expect(await paypalSubscriptionsOf(licenseId)).toHaveLength(1)
    const { db } = await serverDb()
    expect(await db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.licenseId, licenseId))).toHaveLength(1)
    // Sequentially too: the pending one is reused.
    const again = await createSub(owner)
    expect(again.status).toBe(201)
    expect(again.body.subscription!.id).toBe([...ids][0])
    expect(await paypalSubscriptionsOf(licenseId)).toHaveLength(1)
  })

  it('APPROVED (approved, not yet active at PayPal): GET shows it, create is 409 and starts nothing; then ACTIVE', async () => {
    const approver = await createOwner(1, 'subapproved')
    const licenseId = approver.licenses[0]!.id
    const created = await createSub(approver)
    expect(created.status).toBe(201)
    const [paypalSub] = await paypalSubscriptionsOf(licenseId)
    await fake(`/__fake/subscriptions/${paypalSub!.id}/approve`, { hold: true })

    const approved = await getSub(approver)
    expect(approved.status).toBe(200)
    expect(approved.body.subscription).toMatchObject({ id: created.body.subscription!.id, status: 'APPROVED' })
    const refused = await createSub(approver)
    expect(refused.status).toBe(409)
    expect(refused.body.message).toMatch(/approved/i)
    expect(await paypalSubscriptionsOf(licenseId)).toHaveLength(1)
    // Nothing active yet: nothing to cancel.
    expect((await call('/api/webstore/subscription/cancel', { method: 'POST', ...as(approver) })).status).toBe(409)

    await fake(`/__fake/subscriptions/${paypalSub!.id}/approve`, {})
    expect((await getSub(approver)).body.subscription).toMatchObject({ id: created.body.subscription!.id, status: 'ACTIVE' })
    expect((await createSub(approver)).status).toBe(409)
    expect(await paypalSubscriptionsOf(licenseId)).toHaveLength(1)
  })
})
