import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { deliveries, licenses, storeConfig, storeTransactions, type License } from '../../server/db/schema'
import { openCompanionToken } from '../../server/domains/licenses/licenses'
import { fakeIp } from '../support/http'
import { testKeys } from '../support/keys'
import { createOpenStore, type StoreFixture } from '../support/paypal'
import { useOwnServer, type OwnServer } from '../support/own-server'

// The embedded demo's payment mode end to end on the built server: SEED_DEMO outside production
// (NODE_ENV=development) → Buy on the demo store → its own approval page → the page's capture
// call → the HTTP agent queue and ack → delivered. Then the same database under NODE_ENV=production:
// the demo row is never served (purchase and capture 409), and the config refuses "demo".

const skip = inject('skipReason') !== ''
let own: OwnServer
let demo: License
let other: StoreFixture

async function http<T = Record<string, unknown>>(path: string, init: { method?: string, token?: string, body?: unknown, headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': fakeIp(), ...init.headers }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${own.url}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  }
  catch { /* a page */ }
  return { status: res.status, body: body as T }
}

async function signIn(email: string, password: string): Promise<string> {
  const res = await http<{ token: string }>('/api/auth/login', { body: { email, password } })
  expect(res.status).toBe(200)
  return res.body.token
}

const start = (nodeEnv: string) => own.start(`api-demo-${nodeEnv}`, { NATS_URL: undefined, SEED_DEMO: 'true', NODE_ENV: nodeEnv, PAYPAL_API_BASE: inject('paypalUrl') })

const demoItemId = async () => (await http<{ items: Array<{ id: string, price_cents: number }> }>('/api/public-store/demo/items')).body.items[0]!.id
const config = (paypalMode: string) => ({ name: 'Store', currency: 'USD', paypal_mode: paypalMode, enabled: true })

describe.skipIf(skip)('demo payment mode (built server)', () => {
  own = useOwnServer('cairn_api_demo')
  beforeAll(async () => {
    await start('development')
    const [row] = await own.db.select().from(licenses).where(eq(licenses.subdomain, 'demo'))
    if (!row) throw new Error('SEED_DEMO did not create the demo license')
    demo = row
    other = await createOpenStore(own.db, { tag: 'notdemo' })
  }, 120_000)

  it('the seed puts the demo store in demo mode without PayPal credentials', async () => {
    const [row] = await own.db.select().from(storeConfig).where(eq(storeConfig.licenseId, demo.id))
    expect(row).toMatchObject({ paypalMode: 'demo', demoStore: true, paypalClientSecretSealed: null, enabled: true })
  })

  it('Buy → the demo approval page → Approve (capture) → the agent\'s queue and ack → delivered, once', async () => {
    const bought = await http<{ transaction_id: string, status: string, approval_url: string }>('/api/public-store/demo/purchase', { body: { item_id: await demoItemId(), player_name: 'Steve', quantity: 1 } })
    expect(bought.status).toBe(201)
    const txId = bought.body.transaction_id
    expect(bought.body).toMatchObject({ status: 'pending', approval_url: `${own.url}/s/demo/demo-pay/${txId}` })

    const page = await http<string>(`/s/demo/demo-pay/${txId}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('Demo payment: no money moves')

    const capture = `/api/public-store/demo/transactions/${txId}/capture`
    expect((await http(capture, { method: 'POST' })).body).toEqual({ transaction_id: txId, status: 'paid' })
    expect((await http(capture, { method: 'POST' })).body).toEqual({ transaction_id: txId, status: 'paid' })
    const rows = await own.db.select().from(deliveries).where(eq(deliveries.refId, txId))
    expect(rows).toHaveLength(1)

    const token = openCompanionToken({ keys: testKeys }, demo)
    const queue = await http<{ deliveries: Array<{ id: string, transaction_id: string, commands: Array<{ command: string }> }> }>('/api/agent/queue?wait=5', { token })
    const message = queue.body.deliveries.find(d => d.transaction_id === txId)
    expect(message?.commands.map(c => c.command)).toContain('lp user Steve parent addtemp vip 30d')
    const ack = await http<{ acks: unknown[] }>('/api/agent/acks', { token, body: { acks: [{ id: rows[0]!.id, kind: 'delivery', status: 'done' }] } })
    expect(ack.body.acks).toEqual([{ id: rows[0]!.id, result: 'applied' }])
    expect((await http(`/api/public-store/demo/transactions/${txId}`)).body).toMatchObject({ status: 'delivered' })
    expect(await own.db.select().from(deliveries).where(eq(deliveries.refId, txId))).toHaveLength(1)
  })

  it('another store cannot switch to "demo" (400 naming paypal_mode, nothing stored); the demo store can', async () => {
    const owner = await signIn(other.email, other.password)
    const refused = await http<{ data: { issues: Array<{ path: string }> } }>('/api/webstore/config', { method: 'PUT', token: owner, headers: { 'x-license-id': other.license.id }, body: config('demo') })
    expect(refused.status).toBe(400)
    expect(refused.body.data.issues.map(i => i.path)).toEqual(['paypal_mode'])
    const [row] = await own.db.select().from(storeConfig).where(eq(storeConfig.licenseId, other.license.id))
    expect(row).toMatchObject({ paypalMode: 'sandbox', demoStore: false })

    const demoOwner = await signIn('demo@cairn.local', 'cairn-demo-2026')
    const kept = await http('/api/webstore/config', { method: 'PUT', token: demoOwner, headers: { 'x-license-id': demo.id }, body: config('demo') })
    expect(kept.status).toBe(200)
    expect(kept.body).toMatchObject({ config: { paypal_mode: 'demo', enabled: true } })
  })

  it('NODE_ENV=production never serves the demo row: purchase and capture 409, config 400', async () => {
    const pending = await http<{ transaction_id: string }>('/api/public-store/demo/purchase', { body: { item_id: await demoItemId(), player_name: 'Alex', quantity: 1 } })
    expect(pending.status).toBe(201)
    await start('production')
    const before = await own.db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, demo.id))

    const bought = await http('/api/public-store/demo/purchase', { body: { item_id: await demoItemId(), player_name: 'Alex', quantity: 1 } })
    expect(bought.status).toBe(409)
    expect(await own.db.select().from(storeTransactions).where(eq(storeTransactions.licenseId, demo.id))).toHaveLength(before.length)

    const txId = pending.body.transaction_id
    expect((await http(`/api/public-store/demo/transactions/${txId}/capture`, { method: 'POST' })).status).toBe(409)
    const [tx] = await own.db.select().from(storeTransactions).where(eq(storeTransactions.id, txId))
    expect(tx?.status).toBe('pending')
    expect(await own.db.select().from(deliveries).where(eq(deliveries.refId, txId))).toHaveLength(0)

    const demoOwner = await signIn('demo@cairn.local', 'cairn-demo-2026')
    const refused = await http<{ data: { issues: Array<{ path: string }> } }>('/api/webstore/config', { method: 'PUT', token: demoOwner, headers: { 'x-license-id': demo.id }, body: config('demo') })
    expect(refused.status).toBe(400)
    expect(refused.body.data.issues.map(i => i.path)).toEqual(['paypal_mode'])
  }, 90_000)
})
