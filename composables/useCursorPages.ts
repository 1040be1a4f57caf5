import type { Ref } from 'vue'

/**
 * A list read page by page with the API's opaque cursor (`next_cursor`): `first` is the first page
 * (a useAsyncData result, which reloads it when filters change), `loadMore.submit(nextCursor)`
 * appends the page after it. A new first page starts the list over.
 */
export function useCursorPages<Page extends { next_cursor: string | null }, Row>(
  first: Ref<Page | null | undefined>,
  rowsOf: (page: Page) => Row[],
  pageAfter: (cursor: string) => Promise<Page>,
) {
  const more = ref([]) as Ref<Row[]>
  const nextCursor = ref<string | null>(null)
  watch(first, (page) => {
    more.value = []
    nextCursor.value = page?.next_cursor ?? null
  }, { immediate: true })
  const rows = computed(() => [...(first.value ? rowsOf(first.value) : []), ...more.value])
  const loadMore = useApiAction(pageAfter, {
    onSuccess: (page) => {
      more.value = [...more.value, ...rowsOf(page)]
      nextCursor.value = page.next_cursor
    },
  })
  return { rows, nextCursor, loadMore }
}
