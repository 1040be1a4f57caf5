import { BASKET_LINES_MAX, PURCHASE_QUANTITY_MAX } from '#shared/contracts/limits'
import { basketStorageKey as basketKey } from '#shared/rules/basket'

// The storefront basket: lines and coupon, kept in localStorage so a reload
// (or coming back from PayPal's cancel page) finds it again. Prices are never stored: the server's
// quote decides them.

export interface BasketLine { item_id: string, quantity: number }
interface BasketState { lines: BasketLine[], coupon: string }

function readJson<T>(key: string): T | null {
  try {
    const raw = window.localStorage.getItem(key)
    return raw ? JSON.parse(raw) as T : null
  }
  catch {
    return null
  }
}

function clean(state: BasketState | null): BasketState {
  const lines = Array.isArray(state?.lines) ? state.lines : []
  return {
    lines: lines.filter(l => typeof l?.item_id === 'string' && Number.isInteger(l.quantity) && l.quantity >= 1)
      .slice(0, BASKET_LINES_MAX).map(l => ({ item_id: l.item_id, quantity: Math.min(l.quantity, PURCHASE_QUANTITY_MAX) })),
    coupon: typeof state?.coupon === 'string' ? state.coupon : '',
  }
}

export function useBasket(subdomain: string) {
  const state = useState<BasketState>(`basket-${subdomain}`, () => ({ lines: [], coupon: '' }))
  const loaded = useState(`basket-loaded-${subdomain}`, () => false)
  onMounted(() => {
    if (!loaded.value) {
      state.value = clean(readJson<BasketState>(basketKey(subdomain)))
      loaded.value = true
    }
  })
  watch(state, value => window.localStorage.setItem(basketKey(subdomain), JSON.stringify(value)), { deep: true })

  const count = computed(() => state.value.lines.reduce((sum, l) => sum + l.quantity, 0))

  function add(itemId: string, quantity = 1) {
    const line = state.value.lines.find(l => l.item_id === itemId)
    if (line) line.quantity = Math.min(PURCHASE_QUANTITY_MAX, line.quantity + quantity)
    else if (state.value.lines.length < BASKET_LINES_MAX) state.value.lines.push({ item_id: itemId, quantity })
  }
  function setQuantity(itemId: string, quantity: number) {
    const line = state.value.lines.find(l => l.item_id === itemId)
    if (!line) return
    if (quantity < 1) remove(itemId)
    else line.quantity = Math.min(PURCHASE_QUANTITY_MAX, quantity)
  }
  function remove(itemId: string) {
    state.value.lines = state.value.lines.filter(l => l.item_id !== itemId)
  }
  function clear() {
    state.value = { lines: [], coupon: '' }
  }
  return { state, count, add, setQuantity, remove, clear }
}
