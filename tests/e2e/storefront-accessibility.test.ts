import { and, eq } from 'drizzle-orm'
import { beforeAll, expect, inject, it } from 'vitest'
import { licenses, storeTransactions } from '../../server/db/schema'
import { axeViolations } from '../support/axe'
import { screenshot, VIEWPORTS } from '../support/browser'
import { serverDb } from '../support/fixtures'
import { describeInBrowser } from './fixture'

// The buyer's pages of the demo store (/s/demo, seeded by SEED_DEMO) checked by axe-core in
// Chromium at phone and desktop widths: the storefront with a buy form open, the basket (drawer or
// page, with a coupon's reason showing), the return page of
// a paid and of a delivered purchase, and PayPal's cancel page. Every rule axe runs by default
// (WCAG 2.x A/AA and best practices, colour contrast included) must pass.

describeInBrowser('storefront accessibility (axe-core)', (browser) => {
  const base = () => `${inject('baseUrl')}/s/demo`
  let delivered: string
  let paid: string

  beforeAll(async () => {
    const { db } = await serverDb()
    const [demo] = await db.select().from(licenses).where(eq(licenses.subdomain, 'demo'))
    if (!demo) throw new Error('the e2e server has no demo store (SEED_DEMO)')
    const [sale] = await db.select().from(storeTransactions).where(and(eq(storeTransactions.licenseId, demo.id), eq(storeTransactions.status, 'delivered')))
    if (!sale) throw new Error('the demo store has no delivered sale')
    delivered = sale.id
    // A purchase paid but not delivered yet: the return page's progress is half-way.
    const { id: _id, ...copy } = sale
    const [row] = await db.insert(storeTransactions).values({ ...copy, status: 'paid', deliveredAt: null, paypalOrderId: `A11Y-${Date.now()}` }).returning()
    paid = row!.id
  })

  for (const [label, viewport] of [['390', VIEWPORTS.mobile], ['1280', VIEWPORTS.desktop]] as const) {
    it(`has no axe violations at ${label} px: storefront, buy form, return (paid, delivered) and cancel pages`, async () => {
      // axe is injected as an inline script, which the store's CSP (rightly) refuses.
      const page = await browser.page(viewport, { bypassCSP: true })

      await page.goto(base())
      await page.getByRole('heading', { level: 1 }).waitFor()
      expect(await axeViolations(page)).toEqual([])
      await screenshot(page, `a11y-storefront-${label}`)

      await page.locator('[data-buy]').first().click()
      await page.locator('[data-buy-form] input').first().fill('Steve; op')
      expect(await axeViolations(page)).toEqual([])
      await screenshot(page, `a11y-buy-form-${label}`)

      // The basket: a drawer at 1280 px, its own page at 390 px, with a coupon that does not apply.
      await page.goto(base())
      await page.locator('[data-add-to-basket]').first().click()
      await page.locator('[data-open-basket]').click()
      await page.locator('[data-basket-total]').waitFor()
      await page.getByLabel('Coupon code').fill('NO-SUCH-CODE')
      await page.locator('[data-apply-coupon]').click()
      await page.locator('[data-coupon-note]').waitFor()
      expect(await axeViolations(page)).toEqual([])
      await screenshot(page, `a11y-basket-${label}`)

      await page.goto(`${base()}/return?tx=${paid}`)
      await page.locator('[data-status]', { hasText: 'paid' }).waitFor()
      expect(await axeViolations(page)).toEqual([])
      await screenshot(page, `a11y-return-paid-${label}`)

      await page.goto(`${base()}/return?tx=${delivered}`)
      await page.locator('[data-status]', { hasText: 'delivered' }).waitFor()
      expect(await axeViolations(page)).toEqual([])
      await screenshot(page, `a11y-return-delivered-${label}`)

      await page.goto(`${base()}/cancel?tx=${paid}`)
      await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor()
      expect(await axeViolations(page)).toEqual([])
      await screenshot(page, `a11y-cancel-${label}`)

      expect(browser.errors(page)).toEqual([])
    })
  }
})
