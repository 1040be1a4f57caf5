import { mountSuspended } from '@nuxt/test-utils/runtime'
import { describe, expect, it } from 'vitest'
import type { StoreCategory, StoreItem } from '#shared/contracts/webstore'
import ScopePicker from '~/components/commerce/ScopePicker.vue'

// The coupon/sale scope picker: labelled checkboxes per category and item; ticking one emits the new scope.

const category: StoreCategory = { id: '3f0c1a52-7d5e-4d0c-9d3b-1b2f4c6a8e01', name: 'Ranks', description: '', sort_order: 0, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z' }
const item: StoreItem = {
  id: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  category_id: category.id,
  name: 'VIP rank',
  description: '',
  price_cents: 499,
  image_url: null,
  commands: [],
  purchase_limit: null,
  stock: null,
  enabled: true,
  sort_order: 0,
  revoke_commands: [],
  duration_days: null,
}

const mountPicker = (modelValue = { item_ids: [] as string[], category_ids: [] as string[] }) =>
  mountSuspended(ScopePicker, { props: { idPrefix: 'coupon', categories: [category], items: [item], modelValue } })

describe('ScopePicker', () => {
  it('explains that nothing selected means every item and labels each checkbox', async () => {
    const view = await mountPicker()
    expect(view.text()).toContain('Nothing selected = every item')
    expect(view.find(`label[for="coupon-cat-${category.id}"]`).text()).toBe('Ranks')
    expect(view.find(`label[for="coupon-item-${item.id}"]`).text()).toBe('VIP rank')
    expect(view.findAll('legend').map(l => l.text())).toEqual(['Applies to', 'Categories', 'Items'])
  })

  it('emits the category when it is ticked and drops an item when it is unticked', async () => {
    const view = await mountPicker({ item_ids: [item.id], category_ids: [] })
    expect((view.find(`#coupon-item-${item.id}`).element as HTMLInputElement).checked).toBe(true)
    await view.find(`#coupon-cat-${category.id}`).setValue(true)
    expect(view.emitted('update:modelValue')?.at(-1)).toEqual([{ item_ids: [item.id], category_ids: [category.id] }])
    await view.find(`#coupon-item-${item.id}`).setValue(false)
    expect(view.emitted('update:modelValue')?.at(-1)).toEqual([{ item_ids: [], category_ids: [category.id] }])
  })
})
