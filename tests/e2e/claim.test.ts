import { expect, it } from 'vitest'
import { screenshot, VIEWPORTS } from '../support/browser'
import { serverDb, uniqueEmail } from '../support/fixtures'
import { call } from '../support/http'
import { createHost } from '../../server/domains/hosts/hosts'
import { testDeps } from '../support/deps'
import { describeInBrowser } from './fixture'

/** PRODUCT.md flow 1's last step: the customer follows panel_url, sets a password, lands in the panel. */
describeInBrowser('customer claims a host-provisioned server (Chromium)', (browser) => {
  it('follows panel_url, sets a password and lands on that server; the link is single-use', async () => {
    const { db } = await serverDb()
    const host = await createHost(testDeps(db), { name: `e2e host ${Date.now()}` })
    const email = uniqueEmail('claimer')
    const provision = async (serverId: string, hostname: string) => {
      const res = await call<{ panel_url: string, license_id: string }>('/api/host/provision', { token: host.apiKey, body: { server_id: serverId, hostname, customer_email: email } })
      expect(res.status).toBe(201)
      return res.body
    }
    const first = await provision('srv-a', 'alpha.example.net')
    const second = await provision('srv-b', 'bravo.example.net')
    expect(second.panel_url.split('?')[0]).toBe(first.panel_url.split('?')[0]) // one claim link per customer

    const page = await browser.page(VIEWPORTS.mobile)
    await page.goto(second.panel_url)
    await page.getByRole('heading', { name: 'Welcome! Choose a password' }).waitFor()
    await screenshot(page, 'claim-390')
    await page.getByLabel('New password').fill('short')
    await page.getByLabel('Repeat it').fill('short')
    await page.getByRole('button', { name: 'Set password and continue' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/10 characters/)

    await page.getByLabel('New password').fill('a fine long password')
    await page.getByLabel('Repeat it').fill('a fine long password')
    await page.getByRole('button', { name: 'Set password and continue' }).click()
    await page.waitForURL(/\/admin$/)
    // Both servers are listed, and the one whose link was followed is selected.
    const cards = page.getByTestId('license-card')
    await cards.nth(1).waitFor()
    await expect(cards.count()).resolves.toBe(2)
    const selected = page.getByTestId('license-card').filter({ hasText: 'Selected' })
    await selected.waitFor()
    await expect(selected.textContent()).resolves.toContain('bravo.example.net')
    await page.getByRole('button', { name: 'Menu' }).click()
    await expect(page.getByLabel('Server').inputValue()).resolves.toBe(second.license_id)

    // The link cannot be used again, and the new password signs in.
    const page2 = await browser.page()
    await page2.goto(first.panel_url)
    await page2.getByLabel('New password').fill('another long password')
    await page2.getByLabel('Repeat it').fill('another long password')
    await page2.getByRole('button', { name: 'Set password and continue' }).click()
    await expect(page2.getByRole('alert').textContent()).resolves.toMatch(/expired or was already used/)
    const login = await call('/api/auth/login', { body: { email, password: 'a fine long password' } })
    expect(login.status).toBe(200)
  })
})
