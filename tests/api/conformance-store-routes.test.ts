import { beforeAll, describe, expect, inject, it } from 'vitest'
import { serverDb } from '../support/fixtures'
import { call, fakeIp } from '../support/http'
import { createOpenStore, createStoreItem, type StoreFixture } from '../support/paypal'

// Public store routes and storefront pages with subdomains and ids that cannot exist: always the
// store's 404 (never a 400 describing our length limits, never a page rendered for them).

const skip = inject('skipReason') !== ''
let shop: StoreFixture

beforeAll(async () => {
  if (skip) return
  const { db } = await serverDb()
  shop = await createOpenStore(db, { tag: 'crt' })
  await createStoreItem(db, shop)
})

describe.skipIf(skip)('public store routes: impossible subdomains and ids', () => {
  it('a subdomain longer than a DNS label → 404 on every public route', async () => {
    for (const sub of ['x'.repeat(64), 'x'.repeat(300)]) {
      const tx = globalThis.crypto.randomUUID()
      const responses = [
        await call(`/api/public-store/${sub}`),
        await call(`/api/public-store/${sub}/items`),
        await call(`/api/public-store/${sub}/purchase`, { body: { item_id: tx, player_name: 'Steve' }, headers: { 'x-forwarded-for': fakeIp() } }),
        await call(`/api/public-store/${sub}/transactions/${tx}`),
        await call(`/api/public-store/${sub}/transactions/${tx}/capture`, { method: 'POST' }),
        await call(`/api/public-store/${sub}/webhook`, { body: { id: 'WH-1', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} } }),
      ]
      for (const res of responses) {
        expect(res.status).toBe(404)
        expect(res.body).toMatchObject({ statusCode: 404 })
      }
    }
  })

  it('a transaction id longer than a UUID → 404, like any unknown id', async () => {
    for (const id of ['a'.repeat(65), `${globalThis.crypto.randomUUID()}${'0'.repeat(40)}`]) {
      const get = await call(`/api/public-store/${shop.subdomain}/transactions/${id}`)
      expect(get.status).toBe(404)
      const capture = await call(`/api/public-store/${shop.subdomain}/transactions/${id}/capture`, { method: 'POST' })
      expect(capture.status).toBe(404)
    }
  })

  it('storefront pages refuse impossible subdomains (404) and never echo them as markup', async () => {
    const payload = encodeURIComponent('</script><b id="injected">boom</b>')
    for (const path of [`/s/${payload}/cancel`, `/s/${payload}`, `/s/${payload}/return?tx=${globalThis.crypto.randomUUID()}`, `/s/${'x'.repeat(64)}/cancel`]) {
      const res = await call(path)
      expect(res.status).toBe(404)
      expect(res.text).not.toContain('<b id="injected">')
    }
  })

  it('the cancel page exists only for an open store', async () => {
    expect((await call(`/s/${shop.subdomain}/cancel`)).status).toBe(200)
    expect((await call('/s/no-such-store-here/cancel')).status).toBe(404)
  })
})
