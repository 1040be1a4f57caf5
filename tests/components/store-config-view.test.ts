import { clearNuxtData, clearNuxtState } from '#imports'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import StoreConfigView from '~/components/webstore/StoreConfigView.vue'
import { sampleStoreConfig } from './samples'
import { badRequest, useFakeApi } from './support'

// The store settings form against a faked /api/webstore/config: the empty state, the API's
// per-field errors, the live-mode confirmation and the `data.missing` list of a refused enable.

const saved = sampleStoreConfig()

const api = useFakeApi()

beforeEach(() => {
  clearNuxtData()
  clearNuxtState()
  api('GET', '/api/webstore/subscription', () => ({ body: { subscription: null } }))
})

describe('StoreConfigView', () => {
  it('without a store shows the first steps, and "Set up your store" opens the form', async () => {
    api('GET', '/api/webstore/config', () => ({ body: { config: null } }))
    const view = await mountSuspended(StoreConfigView)

    const empty = view.find('[data-testid="store-empty"]')
    expect(empty.text()).toContain('Your webstore is not set up yet')
    expect(empty.text()).toContain('First step: name your store and choose its currency.')
    expect(view.find('form').exists()).toBe(false)

    await view.get('[data-testid="store-empty"] button').trigger('click')
    expect(view.find('[data-testid="store-empty"]').exists()).toBe(false)
    expect((view.get('#store-name').element as HTMLInputElement).value).toBe('')
    expect((view.get('#store-currency').element as HTMLSelectElement).value).toBe('USD')
  })

  it('shows each field error of a 400 under its field, wired with aria-describedby', async () => {
    api('GET', '/api/webstore/config', () => ({ body: { config: saved } }))
    const put = api('PUT', '/api/webstore/config', () => badRequest([
      { path: 'name', message: 'must not be empty' },
      { path: 'paypal_webhook_id', message: 'must be at most 64 characters' },
    ]))
    const view = await mountSuspended(StoreConfigView)

    await view.get('#store-name').setValue('   ')
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.find('[data-testid="save-error"]').exists()).toBe(true))

    expect(put.bodies).toHaveLength(1)
    expect(put.bodies[0]).toMatchObject({ name: '   ', currency: 'EUR', enabled: false })
    // Left out: the stored secret is kept.
    expect(put.bodies[0]).not.toHaveProperty('paypal_client_secret')
    const name = view.get('#store-name')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect(name.attributes('aria-describedby')).toBe('store-name-error')
    expect(view.get('#store-name-error').text()).toBe('must not be empty')
    expect(view.get('#paypal-webhook-id-error').text()).toBe('must be at most 64 characters')
    expect(view.find('#store-description-error').exists()).toBe(false)
    expect(view.get('[data-testid="save-error"]').text()).toContain('Invalid request')
    expect(view.find('[data-testid="save-notice"]').exists()).toBe(false)
  })

  it('asks before switching to live payments, and only then saves live mode', async () => {
    api('GET', '/api/webstore/config', () => ({ body: { config: saved } }))
    const put = api('PUT', '/api/webstore/config', body => ({ body: { config: { ...saved, ...(body as object), paypal_secret_set: false } } }))
    const view = await mountSuspended(StoreConfigView)

    await view.get('[data-testid="mode-live"]').setValue(true)
    expect(view.get('[data-testid="live-confirm"]').text()).toContain('Switch to live payments?')
    expect((view.get('[data-testid="mode-live"]').element as HTMLInputElement).checked).toBe(false)
    expect(view.find('[data-testid="live-warning"]').exists()).toBe(false)

    // "Stay in sandbox" keeps sandbox.
    await view.get('[data-testid="live-confirm-no"]').trigger('click')
    expect(view.find('[data-testid="live-confirm"]').exists()).toBe(false)
    expect((view.get('[data-testid="mode-sandbox"]').element as HTMLInputElement).checked).toBe(true)

    await view.get('[data-testid="mode-live"]').setValue(true)
    await view.get('[data-testid="live-confirm-yes"]').trigger('click')
    expect(view.get('[data-testid="live-warning"]').text()).toContain('real money')
    expect((view.get('[data-testid="mode-live"]').element as HTMLInputElement).checked).toBe(true)

    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.find('[data-testid="save-notice"]').exists()).toBe(true))
    expect(put.bodies).toEqual([expect.objectContaining({ paypal_mode: 'live' })])
    expect(view.get('[data-testid="save-notice"]').text()).toBe('Settings saved.')
  })

  it('a refused "open" lists exactly what data.missing names, with links to fix each', async () => {
    api('GET', '/api/webstore/config', () => ({ body: { config: saved } }))
    const put = api('PUT', '/api/webstore/config', () => badRequest([], ['paypal_client_secret', 'subscription']))
    const view = await mountSuspended(StoreConfigView)

    const toggle = view.get('[role="switch"]')
    expect(toggle.attributes('aria-checked')).toBe('false')
    await toggle.trigger('click')
    await vi.waitFor(() => expect(view.find('[data-testid="missing-list"]').exists()).toBe(true))

    expect(put.bodies).toEqual([expect.objectContaining({ enabled: true })])
    expect(view.get('[data-testid="save-error"]').text()).toContain('Your store cannot open yet. Still missing:')
    const items = view.findAll('[data-testid="missing-list"] li')
    expect(items.map((li: { attributes: (name: string) => string | undefined }) => li.attributes('data-missing'))).toEqual(['paypal_client_secret', 'subscription'])
    expect(items.map((li: { text: () => string }) => li.text())).toEqual(['Add your PayPal client secret.', 'Activate your webstore subscription.'])
    expect(items[0]!.get('a').attributes('href')).toBe('#paypal-client-secret')
    expect(items[1]!.get('a').attributes('href')).toBe('/admin/webstore/subscription')
    // The switch stays off: the store was not opened.
    expect(view.get('[role="switch"]').attributes('aria-checked')).toBe('false')
  })

  it('a saved secret is never shown: it reads "Saved" until the owner chooses to replace it', async () => {
    api('GET', '/api/webstore/config', () => ({ body: { config: { ...saved, paypal_secret_set: true } } }))
    const put = api('PUT', '/api/webstore/config', body => ({ body: { config: { ...saved, ...(body as object), paypal_secret_set: true, updated_at: '2026-11-02T11:00:00.000Z' } } }))
    const view = await mountSuspended(StoreConfigView)

    expect(view.get('[data-testid="secret-saved"]').text()).toContain('Saved')
    expect(view.find('input[type="password"]').exists()).toBe(false)
    await view.get('[data-testid="secret-saved"] button').trigger('click')
    await view.get('#paypal-client-secret').setValue('  EJ-new-secret  ')
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.find('[data-testid="save-notice"]').exists()).toBe(true))

    expect(put.bodies).toEqual([expect.objectContaining({ paypal_client_secret: 'EJ-new-secret' })])
    expect(view.find('[data-testid="secret-saved"]').exists()).toBe(true)
    expect(view.html()).not.toContain('EJ-new-secret')
  })
})
