import type { Ref } from 'vue'

export interface ListEditorOptions<T> {
  endpoint: string
  /** "Category", "Item": the start of the notices. */
  noun: string
  /** What names a row in the notices. */
  nameOf: (row: T) => string
  confirmDelete: (row: T) => string
  reload: () => Promise<unknown>
}

/**
 * A list page whose rows are created and edited in a form component and deleted after the owner
 * confirms: which row is open (`editing`: a row, `'new'` or null), the notice after a save or a
 * delete, and the delete itself (DELETE `<endpoint>/<id>`, then `reload`; `deletion.busyKey` is
 * the row's id meanwhile).
 */
export function useListEditor<T extends { id: string }>(options: ListEditorOptions<T>) {
  const api = useApi()
  const editing = ref(null) as Ref<T | 'new' | null>
  const saved = ref('')
  const deletion = useApiAction((row: T) => api(`${options.endpoint}/${row.id}`, { method: 'DELETE' }), {
    key: row => row.id,
    fallback: 'Deleting failed, please try again.',
    onSuccess: async (_none, row) => {
      await options.reload()
      return `${options.noun} “${options.nameOf(row)}” deleted.`
    },
  })
  const notice = computed(() => deletion.notice || saved.value)

  function open(target: T | 'new') {
    editing.value = target
    saved.value = ''
    deletion.reset()
  }

  async function onSaved(row: T) {
    saved.value = `${options.noun} “${options.nameOf(row)}” ${editing.value === 'new' ? 'created' : 'saved'}.`
    editing.value = null
    await options.reload()
  }

  function remove(row: T) {
    if (window.confirm(options.confirmDelete(row))) void deletion.submit(row)
  }

  return { editing, notice, deletion, open, onSaved, remove }
}
