import { and, eq } from 'drizzle-orm'
import { expect, inject, it } from 'vitest'
import { storeConfig, storeItems } from '../../server/db/schema'
import { screenshot, VIEWPORTS } from '../support/browser'
import { createAccount, serverDb } from '../support/fixtures'
import { DEMO_OWNER, describeInBrowser, screenshotBoth, unexpectedErrors } from './fixture'

describeInBrowser('webstore admin (Chromium)', (browser) => {
  it('a new owner sets up the store, sees the live warning and missing requirements, and creates a category and an item', async () => {
    const owner = await createAccount(1, 'store-setup')
    const license = owner.licenses[0]!
    const base = inject('baseUrl')
    const page = await browser.signedIn(owner, '/admin/webstore/config')
    const empty = page.getByTestId('store-empty')
    await empty.waitFor()
    expect(await empty.textContent()).toContain('First step')
    await screenshotBoth(page, 'webstore-config-empty')

    // Keyboard: the empty state's button starts the setup and focuses the first field.
    await page.getByRole('button', { name: 'Set up your store' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#store-name:focus').count()).toBe(1)
    await page.keyboard.type('Stone Age Store')
    await page.getByLabel('Description').fill('Ranks and kits for our survival server.')
    await page.getByLabel('Currency').selectOption('EUR')
    await page.getByLabel('Client id').fill('AZ-sandbox-client-id')
    await page.getByTestId('save-config').click()
    await expect.poll(() => page.getByTestId('save-notice').textContent()).toContain('Settings saved')

    // Enabling now lists exactly what is still missing, from the API's data.missing.
    await page.getByRole('switch', { name: 'Store open to buyers' }).click()
    const missing = page.getByTestId('missing-list')
    await missing.waitFor()
    const reasons = await missing.locator('li').evaluateAll(items => items.map(li => li.getAttribute('data-missing')))
    expect(reasons).toEqual(['paypal_client_secret', 'subscription'])
    expect(await page.getByRole('switch', { name: 'Store open to buyers' }).getAttribute('aria-checked')).toBe('false')
    await screenshot(page, 'webstore-config-missing-1280')

    // The secret is write-only: once saved it shows a "saved" state and can be replaced.
    await page.getByLabel('Client secret').fill('EJ-sandbox-secret-value')
    await page.getByTestId('save-config').click()
    await page.getByTestId('secret-saved').waitFor()
    expect(await page.content()).not.toContain('EJ-sandbox-secret-value')
    await screenshotBoth(page, 'webstore-config-filled')

    // Production asks for confirmation, then shows a clear real-money warning.
    await page.getByTestId('mode-live').check({ force: true }).catch(() => page.getByTestId('mode-live').click())
    await page.getByTestId('live-confirm').waitFor()
    expect(await page.getByTestId('mode-live').isChecked()).toBe(false)
    await page.getByTestId('live-confirm-yes').click()
    const warning = page.getByTestId('live-warning')
    await warning.waitFor()
    expect(await warning.textContent()).toMatch(/real money/i)
    await screenshotBoth(page, 'webstore-config-live-warning')
    await page.getByTestId('save-config').click()
    await expect.poll(() => page.getByTestId('save-notice').textContent()).toContain('Settings saved')

    const { db } = await serverDb()
    const [config] = await db.select().from(storeConfig).where(eq(storeConfig.licenseId, license.id))
    expect(config).toMatchObject({ name: 'Stone Age Store', currency: 'EUR', paypalMode: 'live', enabled: false })
    expect(config?.paypalClientSecretSealed).not.toContain('EJ-sandbox-secret-value')

    // A category, then an item with two commands.
    await page.goto(`${base}/admin/webstore/categories`)
    await page.getByTestId('new-category').click()
    await page.getByLabel('Name').fill('Ranks')
    await page.getByTestId('save-category').click()
    await page.getByTestId('category-row').filter({ hasText: 'Ranks' }).waitFor()

    await page.goto(`${base}/admin/webstore/items`)
    await page.getByTestId('new-item').click()
    await page.getByTestId('item-editor').waitFor()
    await page.getByLabel('Name').fill('VIP rank')
    await page.getByLabel('Price (EUR)').fill('4.99')
    await page.getByRole('textbox', { name: 'Command 1', exact: true }).fill('lp user {player} parent add vip')
    await page.getByTestId('add-command').click()
    await page.getByRole('textbox', { name: 'Command 2', exact: true }).fill('give {player} diamond ')
    await page.getByRole('button', { name: 'Insert {quantity}' }).click()
    await page.getByRole('checkbox', { name: 'Wait until the player is online' }).nth(1).check()
    const preview = page.getByTestId('command-preview')
    await expect.poll(() => preview.textContent()).toContain('lp user Steve parent add vip')
    expect(await preview.textContent()).toContain('give Steve diamond 1')
    // Reorder with the keyboard-reachable buttons, then back.
    await page.getByRole('button', { name: 'Move command 2 up' }).click()
    expect(await page.getByRole('textbox', { name: 'Command 1', exact: true }).inputValue()).toBe('give {player} diamond {quantity}')
    await page.getByRole('button', { name: 'Move command 1 down' }).click()
    await screenshotBoth(page, 'webstore-item-editor')

    // An unknown placeholder is flagged while typing and refused by the API.
    await page.getByRole('textbox', { name: 'Command 2', exact: true }).fill('give {player} diamond {amount}')
    await page.getByTestId('save-item').click()
    await expect.poll(() => page.getByTestId('item-error').textContent()).toContain('fix the highlighted')
    await page.getByRole('textbox', { name: 'Command 2', exact: true }).fill('give {player} diamond {quantity}')
    await page.getByTestId('save-item').click()
    await page.getByTestId('item-card').filter({ hasText: 'VIP rank' }).waitFor()
    expect(await page.getByTestId('item-card').first().textContent()).toContain('€4.99')

    const items = await db.select().from(storeItems).where(and(eq(storeItems.licenseId, license.id)))
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      name: 'VIP rank',
      priceCents: 499,
      commands: [
        { command: 'lp user {player} parent add vip', require_online: false },
        { command: 'give {player} diamond {quantity}', require_online: true },
      ],
    })
    await screenshot(page, 'webstore-items-1280')
    expect(unexpectedErrors(browser.errors(page))).toEqual([])
  })

  it('the demo owner sees an open store, its transactions, and downloads the CSV', async () => {
    const page = await browser.signedIn(DEMO_OWNER, '/admin/webstore/config', VIEWPORTS.desktop, { acceptDownloads: true })
    await page.getByTestId('store-url').waitFor()
    expect(await page.getByTestId('store-url').textContent()).toContain('demo')
    expect(await page.getByRole('switch', { name: 'Store open to buyers' }).getAttribute('aria-checked')).toBe('true')

    await page.goto(`${inject('baseUrl')}/admin/webstore/transactions`)
    await page.getByTestId('tx-row').first().waitFor()
    expect(await page.getByTestId('tx-row').count()).toBeGreaterThanOrEqual(3)
    await screenshot(page, 'webstore-transactions-1280')
    await page.getByLabel('Status').selectOption('refunded')
    await expect.poll(() => page.getByTestId('tx-row').count()).toBe(1)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()])
    expect(download.suggestedFilename()).toMatch(/^cairn-transactions-demo-\d{4}-\d{2}-\d{2}\.csv$/)
    await page.setViewportSize(VIEWPORTS.mobile)
    await page.getByLabel('Status').selectOption('')
    await page.getByTestId('tx-card').first().waitFor()
    await screenshot(page, 'webstore-transactions-390')
    expect(unexpectedErrors(browser.errors(page))).toEqual([])
  })
})
