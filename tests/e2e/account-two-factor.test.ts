import { expect, it, inject } from 'vitest'
import { Secret, TOTP } from 'otpauth'
import type { Page } from 'playwright'
import { screenshot, VIEWPORTS } from '../support/browser'
import { createAccount } from '../support/fixtures'
import { resetLink, waitForMail } from '../support/mailbox'
import { describeInBrowser, screenshotBoth, unexpectedErrors } from './fixture'

// Through the real UI: an owner turns two-factor on at /admin/account (QR code, typed key, a code,
// the recovery codes), signs in again with a code, then resets the password from the mailed link
// and finishes with a recovery code.

const totp = (secret: string, stepsAhead = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + stepsAhead * 30_000 })

async function enterCode(page: Page, code: string) {
  await page.getByLabel('Code').fill(code)
  await page.getByRole('button', { name: 'Verify and sign in' }).click()
}

describeInBrowser('account security (Chromium)', (browser) => {
  it('turns on two-factor, signs in with a code, resets the password by mail and uses a recovery code', async () => {
    const owner = await createAccount(1, 'e2e-2fa')
    const page = await browser.signedIn(owner, '/admin/account')
    await page.getByRole('heading', { name: 'Your account' }).waitFor()
    await page.getByTestId('session-row').first().waitFor()
    await screenshotBoth(page, 'account')

    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
    await page.getByTestId('two-factor-qr').waitFor()
    const secret = (await page.getByTestId('two-factor-secret').textContent())!.replace(/\s/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    await screenshotBoth(page, 'account-2fa-setup')

    await page.getByLabel('Code').fill(totp(secret))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByTestId('recovery-codes').waitFor()
    const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents()
    expect(codes).toHaveLength(10)
    await screenshotBoth(page, 'account-2fa-recovery-codes')
    await page.getByRole('button', { name: 'I have saved them' }).click()
    await page.getByTestId('two-factor-summary').waitFor()
    await expect(page.getByTestId('two-factor-state').textContent()).resolves.toMatch(/^\s*On\s*$/)
    await screenshot(page, 'account-2fa-on-1280')

    // A new browser: the password alone is not enough any more.
    const again = await browser.page(VIEWPORTS.mobile)
    await again.goto(`${inject('baseUrl')}/login`)
    await again.getByLabel('Email').fill(owner.email)
    await again.getByLabel('Password').fill(owner.password)
    await again.getByRole('button', { name: 'Sign in' }).click()
    await again.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor()
    expect((await again.context().cookies()).some(c => c.name === 'cairn_session')).toBe(false)
    await screenshot(again, 'login-2fa-390')
    await enterCode(again, totp(secret, 1))
    await again.waitForURL(/\/admin$/)

    // Forgot the password: the mailed link, a new password, then a recovery code.
    const reset = await browser.page(VIEWPORTS.mobile)
    await reset.goto(`${inject('baseUrl')}/login`)
    await reset.getByRole('link', { name: 'Forgot password?' }).click()
    await reset.getByRole('heading', { name: 'Reset your password' }).waitFor()
    await reset.getByLabel('Email').fill(owner.email)
    await reset.getByRole('button', { name: 'Send reset link' }).click()
    await reset.getByTestId('reset-requested').waitFor()
    await screenshot(reset, 'forgot-password-390')
    const { url } = resetLink(await waitForMail(owner.email))
    await reset.goto(url)
    await reset.getByLabel('New password').fill('a brand new passphrase')
    await reset.getByLabel('Repeat it').fill('a brand new passphrase')
    await screenshot(reset, 'reset-password-390')
    await reset.getByRole('button', { name: 'Set new password and sign in' }).click()
    await reset.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor()
    await enterCode(reset, codes[0]!)
    await reset.waitForURL(/\/admin$/)

    // The reset signed every other device out, the first browser included.
    await page.goto(`${inject('baseUrl')}/admin/account`)
    await page.waitForURL(/\/login/)
    for (const p of [page, again, reset]) expect(unexpectedErrors(browser.errors(p), /401|Failed to load resource/)).toEqual([])
  })
})

