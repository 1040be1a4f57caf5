import { mountSuspended } from '@nuxt/test-utils/runtime'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { useCursorPages } from '~/composables/useCursorPages'

// "Show older" / "Load more" of the activity log and the transactions: pages after the first are
// appended by next_cursor, and a new first page (another filter) starts the list over.

type Page = { rows: string[], next_cursor: string | null }

describe('useCursorPages', () => {
  it('appends the page after the cursor, stops at the last one, and starts over on a new first page', async () => {
    const first = ref<Page | null>({ rows: ['a', 'b'], next_cursor: 'c1' })
    const asked: string[] = []
    const pages: Record<string, Page> = { c1: { rows: ['c'], next_cursor: 'c2' }, c2: { rows: ['d'], next_cursor: null } }
    let list!: ReturnType<typeof useCursorPages<Page, string>>
    await mountSuspended(defineComponent({
      setup() {
        list = useCursorPages(first, page => page.rows, async (cursor) => {
          asked.push(cursor)
          return pages[cursor]!
        })
        return () => h('p')
      },
    }))
    expect(list.rows.value).toEqual(['a', 'b'])

    expect(await list.loadMore.submit(list.nextCursor.value!)).toBe(true)
    await list.loadMore.submit(list.nextCursor.value!)
    expect(asked).toEqual(['c1', 'c2'])
    expect(list.rows.value).toEqual(['a', 'b', 'c', 'd'])
    expect(list.nextCursor.value).toBeNull()

    first.value = { rows: ['x'], next_cursor: 'c9' }
    await new Promise(resolve => setTimeout(resolve))
    expect(list.rows.value).toEqual(['x'])
    expect(list.nextCursor.value).toBe('c9')
  })
})
