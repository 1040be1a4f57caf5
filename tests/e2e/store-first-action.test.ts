import { expect, inject, it } from 'vitest'
import { VIEWPORTS } from '../support/browser'
import { openStoreWith } from '../support/storefront'
import { basketStorageKey } from '../../shared/rules/basket'
import { describeInBrowser, unexpectedErrors } from './fixture'

// The storefront's main page is complete without JavaScript files: a player who only browses loads
// none (the basket count still comes from their browser's storage). The first action loads the app
// and takes effect once, on the element that was clicked. And nothing breaks the page's CSP.

describeInBrowser('storefront: the app loads at the first action (Chromium)', (browser) => {
  it('browsing loads no script file; the first Add loads the app and adds once; the count survives a reload before any action; the drawer keeps focus in', async () => {
    const { shop } = await openStoreWith('first-action', [{ name: 'Knight rank', priceCents: 900 }, { name: 'Mage rank', priceCents: 1100 }])
    const page = await browser.page(VIEWPORTS.desktop)
    const scripts: string[] = []
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname)
    })
    await page.goto(`${inject('baseUrl')}/s/${shop.subdomain}`)
    await page.getByRole('heading', { name: 'Knight rank' }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(scripts).toEqual([])

    // A keyboard user: focus reaches the button (the app starts loading), Enter presses it.
    await page.getByRole('button', { name: 'Add Knight rank to basket' }).focus()
    await page.keyboard.press('Enter')
    await page.locator('[data-open-basket]', { hasText: '(1)' }).waitFor()
    await page.getByRole('status').filter({ hasText: 'Knight rank added to your basket.' }).waitFor()
    expect(scripts.length).toBeGreaterThan(0)
    expect(await page.evaluate(key => JSON.parse(localStorage.getItem(key) ?? 'null'), basketStorageKey(shop.subdomain)))
      .toMatchObject({ lines: [{ quantity: 1 }] })

    // Reloaded: the count is right before the app loads (from the loader), and after (from the app).
    scripts.length = 0
    await page.reload()
    await page.locator('[data-open-basket]', { hasText: '(1)' }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(scripts).toEqual([])
    await page.getByRole('button', { name: 'Add Mage rank to basket' }).click()
    await page.locator('[data-open-basket]', { hasText: '(2)' }).waitFor()

    // The drawer is a modal dialog: Tab and Shift+Tab never leave it; Escape gives focus back.
    await page.locator('[data-open-basket]').click()
    await page.getByRole('dialog', { name: 'Your basket' }).waitFor()
    const inDrawer = () => page.evaluate(() => !!document.activeElement?.closest('[data-basket-drawer]'))
    for (const key of [...Array(12).fill('Tab'), ...Array(12).fill('Shift+Tab')] as string[]) {
      await page.keyboard.press(key)
      expect(await inDrawer()).toBe(true)
    }
    await page.keyboard.press('Escape')
    await page.getByRole('dialog', { name: 'Your basket' }).waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-open-basket'))).toBe(true)

    expect(unexpectedErrors(browser.errors(page))).toEqual([])
  })
})
