import { expect, it, inject } from 'vitest'
import { screenshot, VIEWPORTS } from '../support/browser'
import { DEMO_OWNER, describeInBrowser, unexpectedErrors } from './fixture'

describeInBrowser('panel sign-in (Chromium)', (browser) => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    it(`demo owner signs in, sees the license and signs out (${name})`, async () => {
      const page = await browser.page(viewport)

      // Signed out: the panel sends us to /login.
      await page.goto(`${inject('baseUrl')}/admin`)
      await page.waitForURL(/\/login/)
      await page.getByRole('heading', { name: 'Sign in to your server panel' }).waitFor()
      await screenshot(page, `login-${viewport.width}`)

      // A wrong password shows a readable error and keeps us here.
      await page.getByLabel('Email').fill(DEMO_OWNER.email)
      await page.getByLabel('Password').fill('not the password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/do not match/)

      // Keyboard only: type the password and press Enter.
      await page.getByLabel('Password').fill(DEMO_OWNER.password)
      await page.getByLabel('Password').press('Enter')
      await page.waitForURL(/\/admin$/)
      const card = page.getByTestId('license-card').first()
      await card.waitFor()
      expect(await card.textContent()).toContain('demo')
      expect(await card.textContent()).toMatch(/CAIRN-[0-9A-Z]{5}/)
      await screenshot(page, `admin-${viewport.width}`)

      if (viewport.width < 1024) await page.getByRole('button', { name: 'Menu' }).click()
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(/\/login/)
      // The session is really gone: the panel is closed again.
      await page.goto(`${inject('baseUrl')}/admin`)
      await page.waitForURL(/\/login/)
      expect(unexpectedErrors(browser.errors(page), /401|Failed to load resource/)).toEqual([])
    })
  }
})
