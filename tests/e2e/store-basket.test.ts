import { eq } from 'drizzle-orm'
import { beforeAll, expect, inject, it } from 'vitest'
import { storeConfig, storeCoupons, storeSales, storeTransactionLines, storeTransactions } from '../../server/db/schema'
import { setItemImage } from '../../server/domains/webstore/images'
import type { Deps } from '../../server/platform/deps'
import { screenshot, VIEWPORTS } from '../support/browser'
import { serverDb } from '../support/fixtures'
import { solidImage } from '../support/images'
import type { StoreFixture } from '../support/paypal'
import { openStoreWith } from '../support/storefront'
import { describeInBrowser } from './fixture'

// A player fills a basket with two items (one on sale, both with pictures), applies a coupon
// (first one that does not apply, then one that does), pays once at the (fake) PayPal, and
// comes back paid: one transaction, two lines, the coupon's discount.

describeInBrowser('storefront basket (Chromium)', (browser) => {
  let shop: StoreFixture
  const base = () => `${inject('baseUrl')}/s/${shop.subdomain}`

  beforeAll(async () => {
    const store = await openStoreWith('basket-e2e', [
      { name: 'Hero rank', priceCents: 2000, commands: [{ command: 'lp user {player} parent add hero', require_online: false }] },
      { name: 'Vote key', priceCents: 150, stock: 50, commands: [{ command: 'crate give {player} vote {quantity}', require_online: true }] },
    ])
    shop = store.shop
    const { db } = await serverDb()
    // Pictures uploaded the way the panel does (decoded and re-encoded by the server's code).
    const deps = { db, clock: { now: () => new Date() }, env: { publicUrl: inject('baseUrl') } } as unknown as Deps
    await setItemImage(deps, shop.license.id, store.items[0]!.id, await solidImage('png', 900, 400))
    await setItemImage(deps, shop.license.id, store.items[1]!.id, await solidImage('jpeg', 600, 300))
    await db.insert(storeSales).values({ licenseId: shop.license.id, name: 'Summer sale', percent: 25, startsAt: new Date(Date.now() - 3600_000), endsAt: new Date(Date.now() + 3 * 86400_000), itemIds: [store.items[0]!.id] })
    await db.insert(storeCoupons).values({ licenseId: shop.license.id, code: 'KEYS10', kind: 'percent', value: 10, startsAt: new Date(Date.now() - 60_000), minSubtotalCents: 100_000 })
    // The owner shows the goal bar and the latest purchases.
    await db.update(storeConfig).set({ monthlyGoalCents: 10_000, showRecentPurchases: true }).where(eq(storeConfig.licenseId, shop.license.id))
    await db.insert(storeCoupons).values({ licenseId: shop.license.id, code: 'WELCOME', kind: 'amount', value: 200, startsAt: new Date(Date.now() - 60_000) })
  })

  it('desktop: two items and a coupon through the real UI, one PayPal payment, one transaction with both lines', async () => {
    const page = await browser.page(VIEWPORTS.desktop)
    await page.goto(base())
    await page.getByRole('heading', { level: 1 }).waitFor()
    await expect(page.locator('[data-sale]').first().textContent()).resolves.toContain('Summer sale: 25% off')
    await expect(page.locator('[data-regular-price]').first().textContent()).resolves.toContain('$20.00')
    await expect(page.locator('[data-price]').first().textContent()).resolves.toContain('$15.00')
    await page.locator('img[srcset]').first().waitFor()
    await page.getByRole('button', { name: 'Add Hero rank to basket' }).click()
    await page.getByRole('button', { name: 'Add Vote key to basket' }).click()
    await page.getByRole('button', { name: 'Add Vote key to basket' }).click()
    await screenshot(page, 'basket-storefront-sale-1280')

    // The basket survives a reload.
    await page.reload()
    await page.locator('[data-open-basket]', { hasText: '(3)' }).waitFor()
    await page.locator('[data-open-basket]').click()
    const drawer = page.getByRole('dialog', { name: 'Your basket' })
    await drawer.waitFor()
    await drawer.locator('[data-basket-total]', { hasText: '$18.00' }).waitFor()

    await drawer.getByLabel('Coupon code').fill('keys10')
    await drawer.locator('[data-apply-coupon]').click()
    await drawer.locator('[data-coupon-note]', { hasText: 'below this code' }).waitFor()
    await drawer.getByLabel('Coupon code').fill('welcome')
    await drawer.locator('[data-apply-coupon]').click()
    await drawer.locator('[data-coupon-note]', { hasText: 'applied' }).waitFor()
    await drawer.locator('[data-basket-total]', { hasText: '$16.00' }).waitFor()
    await drawer.getByLabel('Your in-game name').fill('Steve')
    await screenshot(page, 'basket-drawer-1280')
    await drawer.locator('[data-basket-pay]').click()

    await page.waitForURL(/\/checkoutnow\?token=/)
    await expect(page.locator('#amount').textContent()).resolves.toContain('16.00 USD')
    await page.locator('#approve').click()
    await page.waitForURL(new RegExp(`/s/${shop.subdomain}/return\\?tx=`))
    await page.locator('[data-status]').filter({ hasText: /paid|delivered/ }).waitFor({ timeout: 20_000 })
    const tx = new URL(page.url()).searchParams.get('tx')!
    const { db } = await serverDb()
    const [row] = await db.select().from(storeTransactions).where(eq(storeTransactions.id, tx))
    expect(row).toMatchObject({ playerName: 'Steve', subtotalCents: 1800, discountCents: 200, amountCents: 1600, couponCode: 'WELCOME' })
    const lines = await db.select().from(storeTransactionLines).where(eq(storeTransactionLines.transactionId, tx))
    expect(lines.sort((a, b) => a.position - b.position).map(l => [l.itemName, l.quantity, l.unitPriceCents])).toEqual([['Hero rank', 1, 1500], ['Vote key', 2, 150]])
    // The basket was emptied; the name is remembered.
    await page.goto(base())
    await page.locator('[data-open-basket]', { hasText: '(0)' }).waitFor()
    expect(browser.errors(page, { console: false })).toEqual([])
  })

  it('phone: the basket is a page of its own, and the name asked before is filled in', async () => {
    const page = await browser.page(VIEWPORTS.mobile)
    await page.goto(base())
    // The desktop purchase shows in the widgets.
    await page.locator('[data-recent]', { hasText: 'Steve' }).waitFor()
    await expect(page.locator('[data-goal]').textContent()).resolves.toContain('$16.00 of $100.00')
    await page.getByRole('button', { name: 'Add Vote key to basket' }).click()
    await page.getByRole('button', { name: 'Add Hero rank to basket' }).click()
    await screenshot(page, 'basket-storefront-sale-390')
    await page.locator('[data-open-basket]').click()
    await page.waitForURL(new RegExp(`/s/${shop.subdomain}/basket$`))
    await page.locator('[data-basket-total]').waitFor()
    await page.getByLabel('Your in-game name').fill('Alex_2')
    await page.reload()
    await page.locator('[data-basket-line]').nth(1).waitFor()
    await expect(page.getByLabel('Your in-game name').inputValue()).resolves.toBe('Alex_2')
    await screenshot(page, 'basket-page-390')
    expect(browser.errors(page, { console: false })).toEqual([])
  })
})
