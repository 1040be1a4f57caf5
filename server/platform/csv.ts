/**
 * RFC 4180 CSV with spreadsheet-formula neutralisation: a cell starting with = + - @ (or a tab/CR)
 * is prefixed with `'` so Excel/Sheets treat it as text, then quoted when it holds , " CR or LF.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvRow(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`
}
