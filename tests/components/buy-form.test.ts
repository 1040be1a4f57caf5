import { mountSuspended } from '@nuxt/test-utils/runtime'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PublicItem } from '#shared/contracts/storefront'
import { PLAYER_NAME_PATTERN } from '#shared/rules/player'
import BuyForm from '~/components/store/BuyForm.vue'
import { badRequest, useFakeApi } from './support'

// The buyer's form: the server's player-name rule as you type, the purchase request, the UUID
// question when the item's commands need it, and the rate-limit message.

const item: PublicItem = {
  id: '5b7e0c1d-2a3f-4b5c-8d6e-7f8091a2b3c4',
  category_id: null,
  name: 'Diamond kit',
  description: '',
  price_cents: 1250,
  regular_price_cents: 1250,
  sale: null,
  currency: 'USD',
  image_url: null,
  purchase_limit: 3,
  stock: null,
  in_stock: true,
}
const url = '/api/public-store/stone/purchase'

const api = useFakeApi()
let assign: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {})
})
afterEach(() => {
  assign.mockRestore()
})

const purchase = (reply: Parameters<typeof api>[2]) => api('POST', url, reply)

describe('BuyForm', () => {
  it('uses the server\'s player-name rule: the button stays off until the name is valid', async () => {
    const view = await mountSuspended(BuyForm, { props: { item, subdomain: 'stone' } })
    const name = view.get(`#player-${item.id}`)
    const pay = view.get('[data-checkout]')
    expect(name.attributes('pattern')).toBe(PLAYER_NAME_PATTERN)
    expect(pay.attributes('disabled')).toBeDefined()

    await name.setValue('Steve; op')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect(view.text()).toContain('3–16 letters, digits or underscores.')
    expect(pay.attributes('disabled')).toBeDefined()

    await name.setValue('Steve_2')
    expect(name.attributes('aria-invalid')).toBe('false')
    expect(pay.attributes('disabled')).toBeUndefined()
    expect(pay.text()).toBe('Pay $12.50 with PayPal')
  })

  it('starts the purchase with name and quantity, then goes to PayPal\'s approval page', async () => {
    const calls = purchase(() => ({ status: 201, body: { approval_url: 'https://paypal.test/checkoutnow?token=T1' } }))
    const view = await mountSuspended(BuyForm, { props: { item, subdomain: 'stone' } })
    await view.get(`#player-${item.id}`).setValue('  Steve ')
    await view.get(`#player-${item.id}-qty`).setValue('2')
    expect(view.get('[data-checkout]').text()).toBe('Pay $25.00 with PayPal')
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('https://paypal.test/checkoutnow?token=T1'))

    expect(calls.bodies).toEqual([{ item_id: item.id, player_name: 'Steve', quantity: 2 }])
    expect(view.get('[data-checkout]').text()).toBe('Redirecting to PayPal…')
  })

  it('asks for the player UUID when the server says the item needs it, and sends it', async () => {
    const calls = purchase(body => ((body as { player_uuid?: string }).player_uuid
      ? { status: 201, body: { approval_url: 'https://paypal.test/checkoutnow?token=T2' } }
      : badRequest([{ path: 'player_uuid', message: 'is required for this item' }])))
    const view = await mountSuspended(BuyForm, { props: { item, subdomain: 'stone' } })
    await view.get(`#player-${item.id}`).setValue('Steve')
    expect(view.find(`#player-${item.id}-uuid`).exists()).toBe(false)
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.find(`#player-${item.id}-uuid`).exists()).toBe(true))
    expect(view.get('[role="alert"]').text()).toBe('This item needs your player UUID (8-4-4-4-12 hex digits).')

    // Not a UUID: refused here, no second request.
    await view.get(`#player-${item.id}-uuid`).setValue('not-a-uuid')
    await view.get('form').trigger('submit')
    expect(calls.bodies).toHaveLength(1)

    await view.get(`#player-${item.id}-uuid`).setValue('069A79F4-44E9-4726-A5BE-FCA90E38AAF5')
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('https://paypal.test/checkoutnow?token=T2'))
    expect(calls.bodies[1]).toEqual({ item_id: item.id, player_name: 'Steve', quantity: 1, player_uuid: '069A79F4-44E9-4726-A5BE-FCA90E38AAF5' })
  })

  it('says to wait on a 429 and shows the API\'s message otherwise', async () => {
    let status = 429
    purchase(() => ({ status, body: { statusCode: status, message: status === 429 ? 'Too Many Requests' : 'This item is sold out' } }))
    const view = await mountSuspended(BuyForm, { props: { item, subdomain: 'stone' } })
    await view.get(`#player-${item.id}`).setValue('Steve')
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.find('[role="alert"]').exists()).toBe(true))
    expect(view.get('[role="alert"]').text()).toBe('Too many attempts. Please wait a moment and try again.')

    status = 409
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.get('[role="alert"]').text()).toBe('This item is sold out'))
    expect(assign).not.toHaveBeenCalled()
    expect(view.get('[data-checkout]').text()).toBe('Pay $12.50 with PayPal')
  })
})
