import { useListEditor } from './useListEditor'

/** A list page's rows and their editor, as one reactive object (templates read `list.rows`, `list.editing`). */
export interface EditableList<T> {
  /** "Category", "Coupon": the start of the notices; lower-cased in the button, the confirmation and test ids. */
  readonly noun: string
  readonly rows: T[]
  /** True only before the first answer: a reload keeps the rows on screen. */
  readonly loading: boolean
  readonly loadError: unknown
  refresh: () => Promise<unknown>
  /** The row open in the form, `'new'`, or null when the form is closed. */
  editing: T | 'new' | null
  readonly notice: string
  readonly deletion: { readonly busyKey: string | null, readonly error: string }
  nameOf: (row: T) => string
  open: (target: T | 'new') => void
  onSaved: (row: T) => Promise<void>
  remove: (row: T) => void
}

interface EditableListOptions<T> {
  /** What names a row in the notices and button labels (default: its `name`). */
  nameOf?: (row: T) => string
  /** Added to the delete confirmation ("Orders keep the code they used."). */
  deleteNote?: string
}

/**
 * The rows of a panel list page and their editor (useListEditor), which reloads them after a save or a
 * delete. GET `endpoint` answers `{ <its last path segment>: rows }` (`/api/webstore/sales` → `sales`),
 * like every list of the owner API.
 */
export async function useEditableList<T extends { id: string, name: string }>(endpoint: string, noun: string, options?: EditableListOptions<T>): Promise<EditableList<T>>
export async function useEditableList<T extends { id: string }>(endpoint: string, noun: string, options: EditableListOptions<T> & { nameOf: (row: T) => string }): Promise<EditableList<T>>
export async function useEditableList<T extends { id: string, name?: string }>(endpoint: string, noun: string, options: EditableListOptions<T> = {}): Promise<EditableList<T>> {
  const api = useApi()
  const field = endpoint.slice(endpoint.lastIndexOf('/') + 1)
  const { data, status, error, refresh } = await useAsyncData(endpoint, () => api<Record<string, T[]>>(endpoint))
  const nameOf = options.nameOf ?? ((row: T) => row.name ?? '')
  const note = options.deleteNote ? ` ${options.deleteNote}` : ''
  const confirmDelete = (row: T) => `Delete the ${noun.toLowerCase()} “${nameOf(row)}”?${note}`
  const editor = useListEditor<T>({ endpoint, noun, nameOf, confirmDelete, reload: refresh })
  // reactive() unwraps the refs; TypeScript cannot follow that for a generic T, hence the cast.
  return reactive({
    ...editor,
    noun,
    nameOf,
    rows: computed(() => data.value?.[field] ?? []),
    loading: computed(() => status.value === 'pending' && !data.value),
    loadError: error,
    refresh,
  }) as EditableList<T>
}
