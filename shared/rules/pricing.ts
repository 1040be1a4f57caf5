// Prices of a basket: sales, then a coupon over the eligible lines. Pure and integer-only, so the
// quote, the checkout and the tests compute the very same cents.

/** What a sale or a coupon applies to: the listed items and categories; both empty = everything. */
export interface Scope {
  itemIds: readonly string[]
  categoryIds: readonly string[]
}

export function inScope(scope: Scope, itemId: string, categoryId: string | null): boolean {
  if (scope.itemIds.length === 0 && scope.categoryIds.length === 0) return true
  return scope.itemIds.includes(itemId) || (categoryId !== null && scope.categoryIds.includes(categoryId))
}

/** A percentage off, rounded to the nearest cent; a sale never makes an item free. */
export function salePrice(regularCents: number, percent: number): number {
  return Math.max(1, Math.round(regularCents * (100 - percent) / 100))
}

/** Of the sales running for this item, the one with the highest percent (the first one on a tie). */
export function bestSale<S extends Scope & { percent: number }>(sales: readonly S[], itemId: string, categoryId: string | null): S | null {
  let best: S | null = null
  for (const sale of sales) {
    if (inScope(sale, itemId, categoryId) && (!best || sale.percent > best.percent)) best = sale
  }
  return best
}

/**
 * Splits `total` over `weights` in proportion (largest remainder), never giving a part more than
 * its weight. The parts sum to `total` exactly when total ≤ sum(weights).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (sum <= 0 || total <= 0) return weights.map(() => 0)
  const capped = Math.min(total, sum)
  const exact = weights.map(w => (capped * w) / sum)
  const parts = exact.map(Math.floor)
  let left = capped - parts.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    if (parts[i]! < weights[i]!) {
      parts[i]! += 1
      left -= 1
    }
  }
  return parts
}

export interface CouponTerms extends Scope {
  kind: 'percent' | 'amount'
  value: number
}

/** Each line's share of the coupon: percent of the eligible lines, or the amount spread over them. */
export function couponDiscounts(terms: CouponTerms, lines: ReadonlyArray<{ itemId: string, categoryId: string | null, lineCents: number }>): number[] {
  const eligible = lines.map(l => (inScope(terms, l.itemId, l.categoryId) ? l.lineCents : 0))
  const base = eligible.reduce((a, b) => a + b, 0)
  const total = terms.kind === 'percent' ? Math.round(base * Math.min(terms.value, 100) / 100) : Math.min(terms.value, base)
  return allocate(total, eligible)
}
