import { clearNuxtData, clearNuxtState } from '#imports'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WebstoreSubscription } from '#shared/contracts/subscriptions'
import SubscriptionPanel from '~/components/subscription/Panel.vue'
import { sampleStoreConfig } from './samples'
import { useFakeApi } from './support'

// The webstore subscription panel against faked /api/webstore/subscription*: its status, the
// subscribe hand-off to PayPal, the confirmed cancel, a failure, and what it means for the store.

const active: WebstoreSubscription = {
  id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
  status: 'ACTIVE',
  paypal_subscription_id: 'I-ABC123',
  current_period_end: '2026-12-31T23:30:00.000Z',
  created_at: '2026-11-01T09:00:00.000Z',
  cancelled_at: null,
}
const openStore = sampleStoreConfig({ enabled: true })

const api = useFakeApi()
let assign: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  clearNuxtData()
  clearNuxtState()
  assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {})
})
afterEach(() => {
  assign.mockRestore()
  document.body.innerHTML = ''
})

// A route outside /admin: the panel reads only the query, and /admin/** would run the sign-in middleware.
const mountPanel = (route = '/') => mountSuspended(SubscriptionPanel, { route, attachTo: document.body })

describe('SubscriptionPanel', () => {
  it('without a subscription says so, and "Subscribe with PayPal" goes to PayPal\'s approval page', async () => {
    api('GET', '/api/webstore/subscription', () => ({ body: { subscription: null } }))
    api('GET', '/api/webstore/config', () => ({ body: { config: null } }))
    const create = api('POST', '/api/webstore/subscription/create', () => ({ status: 201, body: { subscription: { id: active.id, status: 'APPROVAL_PENDING', approval_url: 'https://paypal.test/webapps/billing/subscriptions?ba_token=B1' } } }))
    const view = await mountPanel()

    expect(view.get('[data-testid="subscription-status"]').text()).toBe('Not subscribed')
    expect(view.get('[data-testid="store-effect"]').text()).toContain('Not set up yet')
    const subscribe = view.get('[data-testid="subscribe"]')
    expect(subscribe.text()).toBe('Subscribe with PayPal')
    await subscribe.trigger('click')
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('https://paypal.test/webapps/billing/subscriptions?ba_token=B1'))
    expect(create.bodies).toHaveLength(1)
    expect(view.get('[data-testid="subscribe"]').text()).toBe('Opening PayPal…')
  })

  it('an active subscription shows its billing date; cancelling asks first, then cancels and closes the store', async () => {
    api('GET', '/api/webstore/subscription', () => ({ body: { subscription: active } }))
    api('GET', '/api/webstore/config', () => ({ body: { config: openStore } }))
    const cancel = api('POST', '/api/webstore/subscription/cancel', () => ({ body: { subscription: { ...active, status: 'CANCELLED', cancelled_at: '2026-11-20T10:00:00.000Z' } } }))
    const view = await mountPanel()

    expect(view.get('[data-testid="subscription-status"]').text()).toBe('Active')
    expect(view.get('[data-testid="period-end"]').text()).toBe('31 December 2026')
    expect(view.get('[data-testid="store-effect"]').text()).toContain('Open: players can buy from your store.')
    expect(view.find('[data-testid="subscribe"]').exists()).toBe(false)

    await view.get('[data-testid="cancel-open"]').trigger('click')
    const dialog = view.get('[data-testid="cancel-confirm"]')
    expect(dialog.attributes('role')).toBe('alertdialog')
    expect(dialog.text()).toContain('Cancel your webstore subscription?')
    expect(document.activeElement?.id).toBe('cancel-keep')
    expect(cancel.bodies).toHaveLength(0)

    await view.get('[data-testid="cancel-yes"]').trigger('click')
    await vi.waitFor(() => expect(view.find('[data-testid="subscription-notice"]').exists()).toBe(true))
    expect(cancel.bodies).toHaveLength(1)
    expect(view.get('[data-testid="subscription-notice"]').text()).toContain('PayPal will not bill you again')
    expect(view.get('[data-testid="subscription-status"]').text()).toBe('Cancelled')
    expect(view.get('[data-testid="store-effect"]').text()).toContain('Closed to players: your webstore subscription was cancelled')
    expect(view.get('[data-testid="subscribe"]').text()).toBe('Subscribe again with PayPal')
  })

  it('shows why a cancel failed and reloads the subscription', async () => {
    let reads = 0
    api('GET', '/api/webstore/subscription', () => {
      reads++
      return { body: { subscription: active } }
    })
    api('GET', '/api/webstore/config', () => ({ body: { config: openStore } }))
    api('POST', '/api/webstore/subscription/cancel', () => ({ status: 503, body: { statusCode: 503, message: 'PayPal is not reachable right now' } }))
    const view = await mountPanel()
    const readsBefore = reads

    await view.get('[data-testid="cancel-open"]').trigger('click')
    await view.get('[data-testid="cancel-yes"]').trigger('click')
    await vi.waitFor(() => expect(view.find('[data-testid="subscription-error"]').exists()).toBe(true))
    expect(view.get('[data-testid="subscription-error"]').text()).toBe('PayPal is not reachable right now')
    await vi.waitFor(() => expect(reads).toBe(readsBefore + 1))
    expect(view.get('[data-testid="subscription-status"]').text()).toBe('Active')
  })

  it('back from PayPal while the approval is pending, it asks again until the subscription is active', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true })
    try {
      let status: WebstoreSubscription['status'] = 'APPROVAL_PENDING'
      api('GET', '/api/webstore/subscription', () => ({ body: { subscription: { ...active, status } } }))
      api('GET', '/api/webstore/config', () => ({ body: { config: openStore } }))
      const view = await mountPanel('/?paypal=return')
      expect(view.get('[data-testid="return-notice"]').text()).toContain('Waiting for PayPal to confirm')
      expect(view.get('[data-testid="subscription-status"]').text()).toBe('Waiting for PayPal approval')

      await vi.advanceTimersByTimeAsync(3000)
      expect(view.get('[data-testid="subscription-status"]').text()).toBe('Waiting for PayPal approval')
      status = 'ACTIVE'
      await vi.advanceTimersByTimeAsync(3000)
      await vi.waitFor(() => expect(view.get('[data-testid="subscription-status"]').text()).toBe('Active'))
      expect(view.get('[data-testid="return-notice"]').text()).toContain('Thank you! Your webstore subscription is active.')
    }
    finally {
      vi.useRealTimers()
    }
  })
})
