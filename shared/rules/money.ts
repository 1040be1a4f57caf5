// Money is integer minor units everywhere (USD, EUR and GBP all have two decimals). One conversion
// each way, used by PayPal amounts, the `{price}` placeholder and the panel's price field.

/** `499` → `"4.99"`, `-250` → `"-2.50"`. Refuses anything that is not a safe integer. */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error('cents must be a safe integer')
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** Parses `"12.34"` exactly (no sign, exponent or third decimal) → cents, else null. */
export function decimalToCents(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(value)
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

/** Display only (the UI): `1999, 'EUR'` → `€19.99`. */
export function formatMoney(cents: number, currency: string, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100)
}
