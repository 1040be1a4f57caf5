import { mountSuspended } from '@nuxt/test-utils/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StoreItem } from '#shared/contracts/webstore'
import ItemEditor from '~/components/webstore/ItemEditor.vue'
import { sampleCategory, sampleItem } from './samples'
import { badRequest, useFakeApi } from './support'

// Creating and editing an item: the price field (cents), the placeholder rules and the live
// preview, and the API's per-field errors (including a command row's).

const category = sampleCategory
const vip = sampleItem({ commands: [{ command: 'lp user {player} parent add vip', require_online: false }] })

const api = useFakeApi()
afterEach(() => {
  document.body.innerHTML = ''
})

function mountEditor(item: StoreItem | null = null) {
  // Attached: the editor finds its inputs by id (focus, caret) like in the page.
  return mountSuspended(ItemEditor, { props: { item, categories: [category], currency: 'EUR' }, attachTo: document.body })
}

const previewLines = (view: Awaited<ReturnType<typeof mountEditor>>) => view.findAll('[data-testid="preview-line"]').map((li: { text: () => string }) => li.text())

describe('ItemEditor', () => {
  it('previews every command with the placeholders filled in for a sample buyer', async () => {
    const view = await mountEditor()
    expect(view.get('[data-testid="command-preview"]').text()).toContain('Type a command to see it here.')

    await view.get('#item-price').setValue('4,99')
    await view.get('#command-0').setValue('give {player} diamond {quantity} # {price} {currency}')
    await view.get('[data-testid="add-command"]').trigger('click')
    await view.get('#command-1').setValue('tell {uuid} thanks')
    await view.findAll('input[type="checkbox"]').at(-1)!.setValue(true)

    expect(previewLines(view)).toEqual([
      '> give Steve diamond 1 # 4.99 EUR',
      '> tell 069a79f4-44e9-4726-a5be-fca90e38aaf5 thanks when online',
    ])
  })

  it('flags an unknown placeholder and a braced non-placeholder as you type, with the allowed list', async () => {
    const view = await mountEditor()
    const input = view.get('#command-0')
    await input.setValue('give {player} diamond {amount}')

    const problem = view.get('#command-0-error')
    expect(problem.text()).toMatch(/^Unknown placeholder \{amount\}; allowed: \{player\} \{uuid\} \{quantity\}/)
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(input.attributes('aria-describedby')).toBe('command-0-error')

    await input.setValue('give {{player}} diamond')
    expect(view.get('#command-0-error').text()).toMatch(/^Braces may only surround a placeholder/)

    await input.setValue('give {player} diamond {quantity}')
    expect(view.find('#command-0-error').exists()).toBe(false)
    expect(input.attributes('aria-invalid')).toBe('false')
  })

  it('inserts a placeholder from the cheat sheet into the command being edited', async () => {
    const view = await mountEditor()
    await view.get('[data-testid="add-command"]').trigger('click')
    await view.get('#command-1').setValue('give  diamond')
    ;(view.get('#command-1').element as HTMLInputElement).setSelectionRange(5, 5)
    await view.get('#command-1').trigger('focus')
    await view.get('button[aria-label="Insert {player}"]').trigger('click')

    expect((view.get('#command-1').element as HTMLInputElement).value).toBe('give {player} diamond')
    expect((view.get('#command-0').element as HTMLInputElement).value).toBe('')
  })

  /** A new item named "VIP rank" at `price`, with the API ready to create it. */
  async function newItem(price: string) {
    const post = api('POST', '/api/webstore/items', () => ({ status: 201, body: { item: vip } }))
    const view = await mountEditor()
    await view.get('#item-name').setValue('VIP rank')
    await view.get('#item-price').setValue(price)
    return { post, view }
  }

  it('refuses a price that is not money before calling the API', async () => {
    const { post, view } = await newItem('4.999')
    await view.get('form').trigger('submit')

    expect(view.get('#item-price-error').text()).toBe('Enter a price like 4.99 (EUR).')
    expect(view.get('[data-testid="item-error"]').text()).toBe('Please fix the highlighted fields.')
    expect(post.bodies).toEqual([])
    expect(view.emitted('saved')).toBeUndefined()
  })

  it('creates the item with the price in cents and the ordered commands, then emits it', async () => {
    const { post, view } = await newItem('4.99')
    await view.get('#item-limit').setValue('2')
    await view.get('#command-0').setValue('lp user {player} parent add vip')
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.emitted('saved')).toHaveLength(1))

    // Everything the item has but its id, with the limit typed here.
    const { id: _id, ...fields } = vip
    expect(post.bodies).toEqual([{ ...fields, purchase_limit: 2 }])
    expect(view.emitted('saved')![0]).toEqual([vip])
  })

  it('shows the API\'s error of one command row under that row', async () => {
    const put = api('PUT', `/api/webstore/items/${vip.id}`, () => badRequest([{ path: 'commands.0.command', message: 'unknown placeholder {amount}' }]))
    const view = await mountEditor(vip)
    expect((view.get('#item-price').element as HTMLInputElement).value).toBe('4.99')
    await view.get('form').trigger('submit')
    await vi.waitFor(() => expect(view.find('#command-0-error').exists()).toBe(true))

    expect(put.bodies).toEqual([expect.objectContaining({ price_cents: 499, name: 'VIP rank' })])
    expect(view.get('#command-0-error').text()).toBe('unknown placeholder {amount}')
    expect(view.get('[data-testid="item-error"]').text()).toBe('Please fix the highlighted fields.')
    expect(view.emitted('saved')).toBeUndefined()
  })
})
