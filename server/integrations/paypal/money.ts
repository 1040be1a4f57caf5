/** Integer minor units ↔ PayPal's decimal strings (USD, EUR and GBP all have 2 decimals). */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error('cents must be a non-negative integer')
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}

/** Parses `"12.34"` exactly; anything else (more decimals, exponent, sign) → null. */
export function decimalToCents(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(value)
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}
