import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { storeConfig, webstoreSubscriptions } from '../../server/db/schema'
import { open } from '../../server/platform/crypto'
import { asOwner, createOwner, serverDb, twoOwners, type Owner } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { testKeys } from '../support/keys'

const skip = inject('skipReason')
const SECRET = 'EJx-very-secret-paypal-client-secret-9f3a'

async function activateSubscription(licenseId: string) {
  const { db } = await serverDb()
  await db.insert(webstoreSubscriptions).values({ licenseId, status: 'ACTIVE', paypalSubscriptionId: `I-${licenseId}` })
}

describe.skipIf(skip)('webstore config API', () => {
  let alice: Owner
  let bob: Owner
  beforeAll(async () => {
    ({ alice, bob } = await twoOwners('config'))
  })

  it('needs a session (401) and answers {config: null} for an unconfigured store', async () => {
    expect((await call('/api/webstore/config')).status).toBe(401)
    expect((await call('/api/webstore/config', { method: 'PUT', body: { name: 'x' } })).status).toBe(401)
    const res = await call('/api/webstore/config', asOwner(alice))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ config: null })
  })

  it('saves a config, seals the secret (AAD-bound), never returns it, keeps it when omitted', async () => {
    const license = alice.licenses[0]!
    const put = await call('/api/webstore/config', {
      ...asOwner(alice),
      method: 'PUT',
      body: { name: ' Alice Shop ', description: 'Ranks', currency: 'EUR', paypal_client_id: 'AbC-client', paypal_client_secret: SECRET, paypal_mode: 'sandbox', enabled: false },
    })
    expect(put.status).toBe(200)
    expect(put.text).not.toContain(SECRET)
    expect(put.body).toEqual({
      config: {
        name: 'Alice Shop',
        description: 'Ranks',
        currency: 'EUR',
        paypal_client_id: 'AbC-client',
        paypal_secret_set: true,
        paypal_mode: 'sandbox',
        paypal_webhook_id: null,
        enabled: false,
        monthly_goal_cents: null,
        show_recent_purchases: false,
        discord_webhook_url: null,
        subdomain: license.subdomain,
        store_url: expect.stringContaining(license.subdomain),
        updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      },
    })

    const { db } = await serverDb()
    const [row] = await db.select().from(storeConfig).where(eq(storeConfig.licenseId, license.id))
    expect(row?.paypalClientSecretSealed).toBeTruthy()
    expect(row?.paypalClientSecretSealed).not.toContain(SECRET)
    expect(JSON.stringify(row)).not.toContain(SECRET)
    expect(open(testKeys.seal, row!.paypalClientSecretSealed!, `license:${license.id}:paypal_client_secret`)).toBe(SECRET)

    const again = await call('/api/webstore/config', { ...asOwner(alice), method: 'PUT', body: { name: 'Alice Shop', description: '', currency: 'EUR', paypal_client_id: 'AbC-client', paypal_mode: 'live', paypal_webhook_id: 'WH-123', enabled: false } })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ config: { paypal_secret_set: true, paypal_mode: 'live', paypal_webhook_id: 'WH-123' } })
    const [kept] = await db.select().from(storeConfig).where(eq(storeConfig.licenseId, license.id))
    expect(kept?.paypalClientSecretSealed).toBe(row?.paypalClientSecretSealed)

    const get = await call('/api/webstore/config', asOwner(alice))
    expect(get.status).toBe(200)
    expect(get.text).not.toContain(SECRET)
    expect(get.text).not.toContain(row!.paypalClientSecretSealed!)
    expect(get.body).toMatchObject({ config: { name: 'Alice Shop', paypal_secret_set: true } })
  })

  it('refuses enabled: true with exactly the unmet requirements, and writes nothing', async () => {
    const fresh = await createOwner(1, 'enable')
    const none = await call('/api/webstore/config', { ...asOwner(fresh), method: 'PUT', body: { name: '', currency: 'USD', paypal_client_id: '', paypal_mode: 'sandbox', enabled: true } })
    expect(none.status).toBe(400)
    expect(none.body).toMatchObject({ statusCode: 400, data: { missing: ['name', 'paypal_client_id', 'paypal_client_secret', 'subscription'] } })
    expect((none.body as { data: { issues: { path: string }[] } }).data.issues.map(i => i.path)).toEqual(['name', 'paypal_client_id', 'paypal_client_secret', 'subscription'])
    expect((await call('/api/webstore/config', asOwner(fresh))).body).toEqual({ config: null })

    const some = await call('/api/webstore/config', { ...asOwner(fresh), method: 'PUT', body: { name: 'Shop', currency: 'USD', paypal_client_id: 'cid', paypal_client_secret: SECRET, paypal_mode: 'sandbox', enabled: true } })
    expect(some.status).toBe(400)
    expect(some.body).toMatchObject({ data: { missing: ['subscription'] } })
    expect(some.text).not.toContain(SECRET)

    await activateSubscription(fresh.licenses[0]!.id)
    const ok = await call('/api/webstore/config', { ...asOwner(fresh), method: 'PUT', body: { name: 'Shop', currency: 'USD', paypal_client_id: 'cid', paypal_client_secret: SECRET, paypal_mode: 'sandbox', enabled: true } })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ config: { enabled: true, paypal_secret_set: true } })
    expect(ok.text).not.toContain(SECRET)

    // Clearing the secret of an open store is refused with the one missing requirement.
    const clear = await call('/api/webstore/config', { ...asOwner(fresh), method: 'PUT', body: { name: 'Shop', currency: 'USD', paypal_client_id: 'cid', paypal_client_secret: null, paypal_mode: 'sandbox', enabled: true } })
    expect(clear.status).toBe(400)
    expect(clear.body).toMatchObject({ data: { missing: ['paypal_client_secret'] } })
  })

  it('validates every field with a 400 naming it', async () => {
    const base = { name: 'Shop', description: '', currency: 'USD', paypal_client_id: 'cid', paypal_mode: 'sandbox', enabled: false }
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ description: 'x'.repeat(2001) }, 'description'],
      [{ currency: 'JPY' }, 'currency'],
      [{ paypal_client_id: 'x'.repeat(129) }, 'paypal_client_id'],
      [{ paypal_client_secret: 'x'.repeat(257) }, 'paypal_client_secret'],
      [{ paypal_mode: 'production' }, 'paypal_mode'],
      [{ paypal_webhook_id: 'x'.repeat(65) }, 'paypal_webhook_id'],
      [{ enabled: 'yes' }, 'enabled'],
      [{ name: 'bad\u0000name' }, 'name'],
      [{ description: 'nul\u0000' }, 'description'],
    ]
    for (const [patch, path] of cases) {
      const res = await call('/api/webstore/config', { ...asOwner(bob), method: 'PUT', body: { ...base, ...patch } })
      expect(res.status, `${path} ${JSON.stringify(patch).slice(0, 40)}`).toBe(400)
      expect((res.body as { data: { issues: { path: string }[] } }).data.issues.map(i => i.path)).toContain(path)
    }
    expect((await call('/api/webstore/config', { ...asOwner(bob), method: 'PUT', raw: '{not json', headers: { ...asOwner(bob).headers, 'content-type': 'application/json' } })).status).toBe(400)
    expect((await call('/api/webstore/config', { ...asOwner(bob), method: 'PUT', body: [] })).status).toBe(400)
    expect((await call('/api/webstore/config', asOwner(bob))).body).toEqual({ config: null })
  })

  it('answers 404 for a license of another owner, on GET and PUT', async () => {
    const foreign = { token: bob.token, headers: { 'x-license-id': alice.licenses[0]!.id, 'x-forwarded-for': fakeIp() } }
    expect((await call('/api/webstore/config', foreign)).status).toBe(404)
    const put = await call('/api/webstore/config', { ...foreign, method: 'PUT', body: { name: 'Hijack', currency: 'USD', paypal_mode: 'sandbox', enabled: false } })
    expect(put.status).toBe(404)
    const { db } = await serverDb()
    const [row] = await db.select().from(storeConfig).where(eq(storeConfig.licenseId, alice.licenses[0]!.id))
    expect(row?.name).toBe('Alice Shop')
  })

  it('refuses a cross-origin cookie PUT (403)', async () => {
    const res = await call('/api/webstore/config', {
      method: 'PUT',
      body: { name: 'x', currency: 'USD', paypal_mode: 'sandbox', enabled: false },
      headers: { 'cookie': `cairn_session=${alice.token}`, 'origin': 'https://evil.example', 'x-forwarded-for': fakeIp() },
    })
    expect(res.status).toBe(403)
  })
})
