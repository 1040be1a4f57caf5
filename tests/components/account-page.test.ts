import { clearNuxtData, clearNuxtState } from '#imports'
import { mockNuxtImport, mountSuspended } from '@nuxt/test-utils/runtime'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SessionView, TwoFactorStatus } from '#shared/contracts/account'
import AccountPage from '~/pages/admin/account.vue'
import LoginPage from '~/pages/login.vue'
import { badRequest, useFakeApi } from './support'

// The account page (/admin/account) against faked /api/auth/*: two-factor setup with its QR
// code, the recovery codes shown once, turning it off; the session list; the password change.
// And the sign-in page's second step.

const off: TwoFactorStatus = { enabled: false, enabled_at: null, recovery_codes_left: 0 }
const on: TwoFactorStatus = { enabled: true, enabled_at: '2026-11-26T10:00:00.000Z', recovery_codes_left: 10 }
const here: SessionView = { id: '11111111-1111-4111-8111-111111111111', created_at: '2026-11-26T09:00:00.000Z', last_seen_at: '2026-11-26T10:00:00.000Z', ip: '203.0.113.7', user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', current: true }
const phone: SessionView = { id: '22222222-2222-4222-8222-222222222222', created_at: '2026-11-20T08:00:00.000Z', last_seen_at: '2026-11-25T18:30:00.000Z', ip: '198.51.100.2', user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1', current: false }
const codes = Array.from({ length: 10 }, (_, i) => `AAAA-BBBB-CC${String(i).padStart(2, '0')}`)

const api = useFakeApi()
// Signing in navigates to the panel; loading /admin inside a component test would outlive the
// test environment, so the navigation is recorded instead of performed.
const { navigateToMock } = vi.hoisted(() => ({ navigateToMock: vi.fn() }))
mockNuxtImport('navigateTo', () => navigateToMock)
/** vi.waitFor with room for a loaded machine (the default second is short when other test runs share the cores). */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000 })
beforeEach(() => {
  clearNuxtData()
  clearNuxtState()
})
afterEach(() => {
  document.body.innerHTML = ''
})

function accountApi(status: TwoFactorStatus, sessions: SessionView[] = [here, phone]) {
  let current = status
  let list = sessions
  api('GET', '/api/auth/2fa', () => ({ body: current }))
  api('GET', '/api/auth/sessions', () => ({ body: { sessions: list } }))
  return {
    set(next: TwoFactorStatus) {
      current = next
    },
    setSessions(next: SessionView[]) {
      list = next
    },
  }
}

const mountPage = () => mountSuspended(AccountPage, { route: '/', attachTo: document.body })

describe('two-factor on the account page', () => {
  it('sets up with a QR code and the typed secret, turns on with a code, and shows the recovery codes once', async () => {
    const state = accountApi(off)
    api('POST', '/api/auth/2fa/setup', () => ({ body: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauth_url: 'otpauth://totp/Cairn:owner%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Cairn' } }))
    let attempts = 0
    const enable = api('POST', '/api/auth/2fa/enable', () => (++attempts === 1 ? badRequest([{ path: 'code', message: 'is not the current code from your authenticator app' }]) : { body: { recovery_codes: codes } }))
    const view = await mountPage()
    expect(view.get('[data-testid="two-factor-state"]').text()).toBe('Off')

    await view.get('[data-testid="two-factor-start"]').trigger('click')
    await until(() => expect(view.find('[data-testid="two-factor-qr"]').exists()).toBe(true))
    const qr = view.get('[data-testid="two-factor-qr"]').attributes('src')!
    expect(qr).toMatch(/^data:image\/svg\+xml;charset=utf-8,/)
    expect(decodeURIComponent(qr)).toContain('<svg')
    expect(view.get('[data-testid="two-factor-secret"]').text()).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')

    await view.get('#enable-code').setValue('123456')
    await view.get('[data-testid="enable-submit"]').trigger('click')
    await until(() => expect(view.text()).toContain('is not the current code'))
    expect(view.get('#enable-code').attributes('aria-invalid')).toBe('true')

    state.set(on)
    await view.get('#enable-code').setValue('654321')
    await view.get('[data-testid="enable-submit"]').trigger('click')
    await until(() => expect(view.find('[data-testid="recovery-codes"]').exists()).toBe(true))
    expect(enable.bodies).toEqual([{ code: '123456' }, { code: '654321' }])
    const shown = view.findAll('[data-testid="recovery-codes"] li').map(li => li.text())
    expect(shown).toEqual(codes)
    const download = view.get('[data-testid="recovery-download"]')
    expect(download.attributes('download')).toBe('cairn-recovery-codes.txt')
    expect(decodeURIComponent(download.attributes('href')!)).toContain(codes[9])
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    await view.get('[data-testid="recovery-copy"]').trigger('click')
    await until(() => expect(writeText).toHaveBeenCalledOnce())
    expect(writeText.mock.calls[0]).toEqual([expect.stringContaining(codes[0]!)])
    expect(view.get('[data-testid="recovery-copy"]').text()).toBe('Copied')

    expect(view.get('[data-testid="two-factor-state"]').text()).toBe('On')
    await view.get('[data-testid="recovery-done"]').trigger('click')
    await until(() => expect(view.find('[data-testid="two-factor-summary"]').exists()).toBe(true))
    // Shown once: gone from the page now.
    expect(view.find('[data-testid="recovery-codes"]').exists()).toBe(false)
    expect(view.text()).not.toContain(codes[0])
    expect(view.get('[data-testid="two-factor-summary"]').text()).toContain('10 of 10 recovery codes left')
  })

  it('turning off needs the password and a code, and says why it was refused', async () => {
    const state = accountApi(on)
    let answer: 'forbidden' | 'ok' = 'forbidden'
    const disable = api('POST', '/api/auth/2fa/disable', () => (answer === 'forbidden' ? { status: 403, body: { statusCode: 403, message: 'The current password is wrong' } } : { body: {} }))
    const view = await mountPage()
    expect(view.get('[data-testid="disable-submit"]').attributes('disabled')).toBeDefined()
    await view.get('#disable-password').setValue('not my password')
    await view.get('#disable-code').setValue('123456')
    expect(view.get('[data-testid="disable-submit"]').attributes('disabled')).toBeUndefined()
    const form = view.get('[data-testid="two-factor"] form')
    await form.trigger('submit')
    await until(() => expect(view.find('[data-testid="disable-error"]').exists()).toBe(true))
    expect(view.get('[data-testid="disable-error"]').text()).toBe('Your password is not right.')

    answer = 'ok'
    state.set(off)
    await view.get('#disable-password').setValue('correct horse battery')
    await form.trigger('submit')
    await until(() => expect(view.get('[data-testid="two-factor-state"]').text()).toBe('Off'))
    expect(disable.bodies.at(-1)).toEqual({ password: 'correct horse battery', code: '123456' })
    expect(view.get('[data-testid="two-factor-notice"]').text()).toContain('Two-factor sign-in is off')
  })
})

describe('sessions and password on the account page', () => {
  it('lists sessions with this device marked; "Sign out" ends another one', async () => {
    const state = accountApi(off)
    const del = api('DELETE', `/api/auth/sessions/${phone.id}`, () => ({ status: 204 }))
    const view = await mountPage()
    const rows = view.findAll('[data-testid="session-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('Firefox on Linux')
    expect(rows[0]!.text()).toContain('This device')
    expect(rows[0]!.text()).toContain('203.0.113.7')
    expect(rows[0]!.find('[data-testid="session-sign-out"]').exists()).toBe(false)
    expect(rows[1]!.text()).toContain('Safari on iOS')
    expect(rows[1]!.text()).toContain('last active 25 Nov 2026, 18:30 UTC')

    state.setSessions([here])
    await rows[1]!.get('[data-testid="session-sign-out"]').trigger('click')
    await until(() => expect(view.findAll('[data-testid="session-row"]')).toHaveLength(1))
    expect(del.bodies).toHaveLength(1)
    expect(view.get('[data-testid="sessions-notice"]').text()).toBe('Signed out Safari on iOS.')
  })

  it('changes the password: checks the repeat first, says when the current one is wrong, then how many sessions ended', async () => {
    const state = accountApi(off)
    let wrong = true
    const change = api('POST', '/api/auth/password', () => (wrong ? { status: 403, body: { statusCode: 403, message: 'The current password is wrong' } } : { body: { revoked_sessions: 1 } }))
    const view = await mountPage()
    const form = view.get('[data-testid="password-form"] form')
    await view.get('#current-password').setValue('old password!')
    await view.get('#new-password').setValue('a brand new password')
    await view.get('#new-confirm').setValue('a different password')
    await form.trigger('submit')
    expect(view.get('[data-testid="password-error"]').text()).toBe('The two passwords differ.')
    expect(change.bodies).toHaveLength(0)

    await view.get('#new-confirm').setValue('a brand new password')
    await form.trigger('submit')
    await until(() => expect(view.get('[data-testid="password-error"]').text()).toBe('Your current password is not right.'))

    wrong = false
    state.setSessions([here])
    await form.trigger('submit')
    await until(() => expect(view.find('[data-testid="password-notice"]').exists()).toBe(true))
    expect(view.get('[data-testid="password-notice"]').text()).toBe('Password changed. 1 other session was signed out.')
    expect(change.bodies.at(-1)).toEqual({ current_password: 'old password!', new_password: 'a brand new password' })
    expect((view.get('#current-password').element as HTMLInputElement).value).toBe('')
    await until(() => expect(view.findAll('[data-testid="session-row"]')).toHaveLength(1))
  })
})

describe('sign-in with two-factor', () => {
  it('asks for the code after the right password, then signs in with it', async () => {
    const login = api('POST', '/api/auth/login', () => ({ body: { two_factor_required: true, challenge: 'v1.challenge' } }))
    let verifyCalls = 0
    const verify = api('POST', '/api/auth/2fa/verify', () => (++verifyCalls === 1
      ? { status: 401, body: { statusCode: 401, message: 'That code is not valid (or was already used)' } }
      : { body: { user: { id: here.id, email: 'owner@example.com' }, token: 'jwt' } }))
    api('GET', '/api/auth/me', () => ({ body: { user: { id: here.id, email: 'owner@example.com' }, licenses: [] } }))
    const view = await mountSuspended(LoginPage, { route: '/login', attachTo: document.body })
    expect(view.get('[data-testid="forgot-password"]').attributes('href')).toBe('/forgot-password')
    await view.get('#email').setValue('owner@example.com')
    await view.get('#password').setValue('correct horse battery')
    await view.get('form').trigger('submit')
    await until(() => expect(view.find('[data-testid="two-factor-code"]').exists()).toBe(true))
    expect(login.bodies).toEqual([{ email: 'owner@example.com', password: 'correct horse battery' }])
    expect(view.text()).toContain('Two-factor sign-in')

    await view.get('#code').setValue('111111')
    await view.get('form').trigger('submit')
    await until(() => expect(view.text()).toContain('That code did not work'))
    await view.get('#code').setValue('222222')
    await view.get('form').trigger('submit')
    await until(() => expect(verify.bodies).toHaveLength(2))
    expect(verify.bodies).toEqual([{ challenge: 'v1.challenge', code: '111111' }, { challenge: 'v1.challenge', code: '222222' }])
    await until(() => expect(navigateToMock).toHaveBeenCalled())
  })
})
