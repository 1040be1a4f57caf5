import { eq } from 'drizzle-orm'
import { expect, inject, it } from 'vitest'
import { webstoreSubscriptions } from '../../server/db/schema'
import { screenshot, VIEWPORTS } from '../support/browser'
import { createAccount, serverDb } from '../support/fixtures'
import { fakeSubscription } from '../support/subscriptions'
import { describeInBrowser, screenshotBoth, unexpectedErrors } from './fixture'

// The subscription page in Chromium: subscribe (off to the fake PayPal and back), see ACTIVE and
// the next billing date, open the store, cancel with a keyboard-reachable confirmation, and see
// why the store is closed — on the page and in the store settings.

describeInBrowser('subscription page (Chromium)', (browser) => {
  it('subscribe at PayPal and back → ACTIVE; open the store; cancel with confirmation → closed, and the owner sees why', async () => {
    const owner = await createAccount(1, 'sub-page')
    const license = owner.licenses[0]!
    const page = await browser.signedIn(owner, '/admin/webstore/subscription')
    const status = page.getByTestId('subscription-status')
    expect(await status.textContent()).toContain('Not subscribed')
    expect(await page.getByRole('link', { name: 'Subscription', exact: true }).getAttribute('aria-current')).toBe('page')
    await screenshotBoth(page, 'subscription-none')

    // Off to PayPal (the fake) and back.
    await page.getByTestId('subscribe').click()
    await page.waitForURL(url => url.pathname === '/webapps/billing/subscriptions')
    await screenshot(page, 'subscription-paypal-approve-1280')
    await page.locator('#approve').click()
    await page.waitForURL(url => url.pathname === '/admin/webstore/subscription' && url.searchParams.get('paypal') === 'return')
    await expect.poll(() => status.textContent()).toContain('Active')
    expect(await page.getByTestId('return-notice').textContent()).toContain('active')
    expect(await page.getByTestId('period-end').textContent()).toMatch(/\d{4}/)
    const { db } = await serverDb()
    const [row] = await db.select().from(webstoreSubscriptions).where(eq(webstoreSubscriptions.licenseId, license.id))
    expect(row?.status).toBe('ACTIVE')

    // Open the store (same-origin fetch with the session cookie), then the page says it is open.
    const put = await page.evaluate(async () => {
      const res = await fetch('/api/webstore/config', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Page Store', currency: 'USD', paypal_client_id: 'cid', paypal_client_secret: 'secret', paypal_mode: 'sandbox', enabled: true }),
      })
      return res.status
    })
    expect(put).toBe(200)
    await page.reload()
    await expect.poll(() => page.getByTestId('store-effect').textContent()).toContain('Open: players can buy')
    await screenshotBoth(page, 'subscription-active')

    // Keyboard: the cancel button opens a confirmation that starts on "Keep"; Escape backs out.
    await page.getByTestId('cancel-open').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('cancel-confirm').waitFor()
    await expect.poll(() => page.locator('#cancel-keep:focus').count()).toBe(1)
    await screenshot(page, 'subscription-cancel-confirm-1280')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('cancel-confirm').count()).toBe(0)
    await expect.poll(() => page.locator('#cancel-open:focus').count()).toBe(1)
    await page.keyboard.press('Enter')
    await page.getByTestId('cancel-yes').click()
    await expect.poll(() => status.textContent()).toContain('Cancelled')
    expect(await page.getByTestId('subscription-notice').textContent()).toContain('cancelled')
    await expect.poll(() => page.getByTestId('store-effect').textContent()).toContain('Closed to players')
    expect(await fakeSubscription(row!.paypalSubscriptionId!)).toMatchObject({ status: 'CANCELLED' })
    expect(await page.getByTestId('subscribe').textContent()).toContain('Subscribe again')
    await screenshotBoth(page, 'subscription-cancelled')

    // The store settings explain the closed store and link here.
    await page.goto(`${inject('baseUrl')}/admin/webstore/config`)
    const notice = page.getByTestId('store-closed-notice')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('cancelled')
    await expect.poll(() => page.getByTestId('store-status-text').textContent()).toContain('closed to players')
    await screenshotBoth(page, 'webstore-config-subscription-ended')
    await notice.getByRole('link', { name: 'Manage your subscription' }).click()
    await page.waitForURL(url => url.pathname === '/admin/webstore/subscription')
    expect((await fetch(`${inject('baseUrl')}/api/public-store/${license.subdomain}`)).status).toBe(404)

    expect(unexpectedErrors(browser.errors(page))).toEqual([])
  })

  it('coming back from PayPal without subscribing says nothing was charged', async () => {
    const owner = await createAccount(1, 'sub-cancelled')
    const page = await browser.signedIn(owner, '/admin/webstore/subscription', VIEWPORTS.mobile)
    await page.getByTestId('subscribe').click()
    await page.waitForURL(url => url.pathname === '/webapps/billing/subscriptions')
    await page.locator('#cancel').click()
    await page.waitForURL(url => url.pathname === '/admin/webstore/subscription' && url.searchParams.get('paypal') === 'cancel')
    await expect.poll(() => page.getByTestId('return-notice').textContent()).toContain('Nothing was charged')
    expect(await page.getByTestId('subscription-status').textContent()).toContain('Waiting for PayPal approval')
    expect(await page.getByTestId('subscribe').textContent()).toContain('Continue to PayPal')
    await screenshot(page, 'subscription-pending-390')
  })
})
