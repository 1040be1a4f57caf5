// Command templates: which placeholders a command may use, how it is checked when the owner
// saves an item, and how it is rendered when a purchase is delivered. Pure functions only.

import { COMMAND_PLACEHOLDERS, type CommandPlaceholder } from '../contracts/enums'

export type Placeholder = CommandPlaceholder
export const PLACEHOLDERS: readonly Placeholder[] = COMMAND_PLACEHOLDERS.map(p => p.name)

export type PlaceholderValues = Record<Placeholder, string | number>

const KNOWN = new Set<string>(PLACEHOLDERS)
/** A `{...}` group without nested braces: the candidates checked against the allowed names. */
const BRACED = /\{([^{}]*)\}/g
const KNOWN_TOKEN = new RegExp(`\\{(${PLACEHOLDERS.join('|')})\\}`, 'g')
// eslint-disable-next-line no-control-regex -- NUL is exactly what we refuse
const LINE_BREAK_OR_NUL = /[\r\n\u0000]/

/**
 * Why `command` cannot be stored, or null when it is fine. A newline, CR or NUL would let one
 * command smuggle a second one into the server console; any `{...}` other than the allowed
 * placeholders is refused so a typo never reaches a player as a literal.
 */
export function commandProblem(command: string): string | null {
  if (LINE_BREAK_OR_NUL.test(command)) return 'must be a single line: newline, carriage return and NUL are not allowed'
  for (const match of command.matchAll(BRACED)) {
    const name = match[1] ?? ''
    if (!KNOWN.has(name)) return `unknown placeholder {${name.length > 40 ? `${name.slice(0, 40)}…` : name}}; allowed: ${PLACEHOLDERS.map(p => `{${p}}`).join(' ')}`
  }
  // `{{player}}`: the inner token is valid but the outer braces still enclose something.
  if (/\{[^]*\}/.test(command.replace(KNOWN_TOKEN, ''))) {
    return `braces may only surround a placeholder; allowed: ${PLACEHOLDERS.map(p => `{${p}}`).join(' ')}`
  }
  return null
}

/** The placeholders a template uses, in first-use order (e.g. `{uuid}` makes the player UUID required). */
export function usedPlaceholders(template: string): Placeholder[] {
  const seen = new Set<Placeholder>()
  for (const match of template.matchAll(KNOWN_TOKEN)) seen.add(match[1] as Placeholder)
  return [...seen]
}

/**
 * Fills the placeholders of a validated template in one pass: inserted values are never scanned
 * again, so a value cannot introduce a placeholder. Values must be single-line.
 */
export function renderCommand(template: string, values: PlaceholderValues): string {
  return template.replace(KNOWN_TOKEN, (_token, name: Placeholder) => {
    const value = String(values[name])
    if (LINE_BREAK_OR_NUL.test(value)) throw new Error(`placeholder {${name}} value must be single-line`)
    return value
  })
}

