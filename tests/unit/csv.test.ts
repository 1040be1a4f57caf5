import { describe, expect, it } from 'vitest'
import { csvCell, csvRow } from '../../server/platform/csv'

describe('csv', () => {
  it('quotes commas, quotes and newlines per RFC 4180', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"')
    expect(csvCell('plain')).toBe('plain')
  })

  it('neutralises spreadsheet formulas', () => {
    expect(csvCell('=cmd|\' /C calc\'!A0')).toBe('\'=cmd|\' /C calc\'!A0')
    expect(csvCell('+1')).toBe('\'+1')
    expect(csvCell('-1')).toBe('\'-1')
    expect(csvCell('@SUM(A1)')).toBe('\'@SUM(A1)')
    expect(csvCell('=a,b')).toBe('"\'=a,b"')
  })

  it('leaves numbers and empties alone and ends rows with CRLF', () => {
    expect(csvRow([1, -5, null, undefined, 'x'])).toBe('1,-5,,,x\r\n')
  })
})
