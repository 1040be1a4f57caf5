import { describe, expect, it } from 'vitest'
import { centsToDecimal } from '../../shared/rules/money'
import { commandProblem, PLACEHOLDERS, renderCommand, usedPlaceholders, type PlaceholderValues } from '../../shared/rules/placeholders'

const values: PlaceholderValues = {
  player: 'Steve',
  uuid: '069a79f4-44e9-4726-a5be-fca90e38aaf5',
  quantity: 2,
  transaction_id: 'tx-1',
  item_id: 'item-1',
  price: '4.99',
  currency: 'USD',
}

describe('commandProblem', () => {
  it('accepts every allowed placeholder and plain text', () => {
    expect(commandProblem(PLACEHOLDERS.map(p => `{${p}}`).join(' '))).toBeNull()
    expect(commandProblem('say hello world')).toBeNull()
    expect(commandProblem('give {player} diamond {quantity}')).toBeNull()
  })

  it('refuses unknown placeholders, naming them', () => {
    expect(commandProblem('give {playr} diamond')).toMatch(/unknown placeholder \{playr\}/)
    expect(commandProblem('give {Player} diamond')).toMatch(/\{Player\}/)
    expect(commandProblem('say {}')).toMatch(/unknown placeholder \{\}/)
    expect(commandProblem('tellraw @a {"text":"hi"}')).toMatch(/unknown placeholder/)
    expect(commandProblem('say { player }')).toMatch(/unknown placeholder/)
  })

  it('refuses braces wrapped around a valid placeholder', () => {
    expect(commandProblem('say {{player}}')).toMatch(/braces/)
    expect(commandProblem('say { {player} }')).toMatch(/braces/)
  })

  it('allows a lone brace that encloses nothing', () => {
    expect(commandProblem('say } and {')).toBeNull()
  })

  it('refuses newline, carriage return and NUL', () => {
    expect(commandProblem('say a\nop {player}')).toMatch(/single line/)
    expect(commandProblem('say a\rb')).toMatch(/single line/)
    expect(commandProblem('say a\u0000b')).toMatch(/single line/)
  })
})

describe('renderCommand', () => {
  it('fills every placeholder, repeatedly', () => {
    expect(renderCommand('give {player} diamond {quantity}; say {player} paid {price} {currency}', values))
      .toBe('give Steve diamond 2; say Steve paid 4.99 USD')
    expect(renderCommand('lp user {uuid} tx {transaction_id} item {item_id}', values))
      .toBe('lp user 069a79f4-44e9-4726-a5be-fca90e38aaf5 tx tx-1 item item-1')
  })

  it('does not re-expand placeholders inside inserted values', () => {
    expect(renderCommand('say {player}', { ...values, player: '{uuid}' })).toBe('say {uuid}')
  })

  it('refuses multi-line values', () => {
    expect(() => renderCommand('say {player}', { ...values, player: 'a\nop me' })).toThrow(/single-line/)
  })
})

describe('usedPlaceholders / centsToDecimal', () => {
  it('lists placeholders in first-use order without duplicates', () => {
    expect(usedPlaceholders('{uuid} {player} {uuid}')).toEqual(['uuid', 'player'])
    expect(usedPlaceholders('say hi')).toEqual([])
  })

  it('formats cents as a plain decimal', () => {
    expect(centsToDecimal(499)).toBe('4.99')
    expect(centsToDecimal(5)).toBe('0.05')
    expect(centsToDecimal(1000000)).toBe('10000.00')
  })
})
