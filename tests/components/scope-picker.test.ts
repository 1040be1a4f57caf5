import { mountSuspended } from '@nuxt/test-utils/runtime'
import { describe, expect, it } from 'vitest'
import ScopePicker from '~/components/commerce/ScopePicker.vue'
import { sampleCategory, sampleItem } from './samples'

// The coupon/sale scope picker: labelled checkboxes per category and item; ticking one emits the new scope.

const category = sampleCategory
const item = sampleItem()

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
