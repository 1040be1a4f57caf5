import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { deliveries } from '../../server/db/schema'
import { startTestAgent, type TestAgent } from '../support/agent'
import { screenshot, VIEWPORTS } from '../support/browser'
import { serverDb } from '../support/fixtures'
import type { StoreFixture } from '../support/paypal'
import { openStoreWith } from '../support/storefront'
import { describeInBrowser, signIn } from './fixture'

// A player buys on the storefront, approves at the (fake) PayPal, comes back, and the test agent
// on NATS receives the rendered commands exactly once and acks; the owner sees `delivered`.

const natsUrl = inject('natsUrl')

describeInBrowser('storefront checkout (Chromium + NATS agent)', (browser) => {
  let shop: StoreFixture
  let agent: TestAgent
  beforeAll(async () => {
    const store = await openStoreWith('e2e', [
      { name: 'Diamond kit', priceCents: 1250, stock: 5, commands: [{ command: 'give {player} diamond {quantity}', require_online: true }] },
      { name: 'Gone', priceCents: 100, stock: 0 },
    ])
    shop = store.shop
    agent = await startTestAgent(natsUrl, shop.license.id)
  })
  afterAll(async () => {
    await agent?.close()
  })

  it('buy → approve at PayPal → return → delivered exactly once → owner sees delivered', async () => {
    const page = await browser.page(VIEWPORTS.desktop)
    const errors: string[] = []
    const base = inject('baseUrl')
    // Failed requests to Cairn itself (the fake PayPal has no favicon; that is not our concern).
    page.on('response', (r) => {
      if (r.status() >= 400 && r.url().startsWith(base) && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`)
    })
    await page.goto(`${base}/s/${shop.subdomain}`)
    await page.getByRole('heading', { name: 'e2e store' }).waitFor()
    await expect(page.locator('[data-out-of-stock]').textContent()).resolves.toContain('Out of stock')
    await expect(page.locator('[data-price]').first().textContent()).resolves.toContain('$12.50')
    await screenshot(page, 'store-front-1280')

    await page.getByRole('button', { name: 'Buy Diamond kit' }).click()
    const name = page.getByLabel('Your in-game name')
    await name.fill('Steve; op')
    await expect(page.locator('[data-checkout]').isDisabled()).resolves.toBe(true)
    await name.fill('Steve')
    await page.getByLabel('Quantity').fill('2')
    await page.locator('[data-checkout]').click()

    // The fake PayPal's approval page, then back to the storefront's return page.
    await page.waitForURL(/\/checkoutnow\?token=/)
    await expect(page.locator('#amount').textContent()).resolves.toContain('25.00 USD')
    await page.locator('#approve').click()
    await page.waitForURL(new RegExp(`/s/${shop.subdomain}/return\\?tx=`))
    await page.locator('[data-status]').filter({ hasText: 'paid' }).waitFor({ timeout: 20_000 })
    await screenshot(page, 'store-return-paid-1280')

    const message = await agent.waitFor(m => m.player?.name === 'Steve')
    expect(message.commands).toEqual([{ command: 'give Steve diamond 2', require_online: true }])
    expect(await agent.ack(message.id)).toMatchObject({ ok: true, results: [{ id: message.id, result: 'applied' }] })
    await page.locator('[data-status]').filter({ hasText: 'delivered' }).waitFor({ timeout: 20_000 })
    await screenshot(page, 'store-return-delivered-1280')
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(agent.received.filter(m => m.transaction_id === message.transaction_id)).toHaveLength(1)
    const { db } = await serverDb()
    expect(await db.select().from(deliveries).where(eq(deliveries.refId, String(message.transaction_id)))).toHaveLength(1)

    // The owner's transactions page.
    await signIn(page, shop, '/admin/webstore/transactions')
    const row = page.locator('tr', { hasText: 'Steve' })
    await row.waitFor()
    await expect(row.textContent()).resolves.toContain('delivered')
    await screenshot(page, 'store-owner-transactions-1280')
    expect([...browser.errors(page, { console: false }), ...errors]).toEqual([])
  })

  it('mobile: storefront renders and a bad player name is refused in the browser', async () => {
    const page = await browser.page(VIEWPORTS.mobile)
    await page.goto(`${inject('baseUrl')}/s/${shop.subdomain}`)
    await page.getByRole('button', { name: 'Buy Diamond kit' }).click()
    await page.getByLabel('Your in-game name').fill('a\u00e9b')
    await expect(page.locator('[data-checkout]').isDisabled()).resolves.toBe(true)
    await screenshot(page, 'store-front-390')
    await page.goto(`${inject('baseUrl')}/s/${shop.subdomain}/cancel?tx=x`)
    await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor()
  })

  it('an unknown store is a 404 page', async () => {
    const page = await browser.page()
    const res = await page.goto(`${inject('baseUrl')}/s/no-such-store-xyz`)
    expect(res?.status()).toBe(404)
  })
}, { skip: !natsUrl })
