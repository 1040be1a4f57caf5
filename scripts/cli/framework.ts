import { parseArgs } from 'node:util'
import type { z } from 'zod'
import type { DbHandle } from '../../server/db'
import type { Deps } from '../../server/platform/deps'

export class CliError extends Error {}

/** The opened app: its database handle and the deps domain functions take. */
export interface CliApp {
  handle: DbHandle
  deps: Deps
}

export interface CliContext {
  /** Opens (and, unless the command says otherwise, migrates) the app's database. */
  open(): Promise<CliApp>
}

export interface CliCommand {
  name: string
  usage: string
  /** Flags this command takes (all strings); anything else is an error. */
  flags: Record<string, { required?: boolean, description: string }>
  run(flags: Record<string, string | undefined>, ctx: CliContext): Promise<unknown>
}

export function parseFlags(command: CliCommand, argv: string[]): Record<string, string | undefined> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.keys(command.flags).map(name => [name, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    })
  }
  catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]}\nusage: ${command.usage}`)
  }
  const values = parsed.values as Record<string, string | undefined>
  for (const [name, spec] of Object.entries(command.flags)) {
    if (spec.required && (values[name] === undefined || values[name] === '')) {
      throw new CliError(`missing --${name} (${spec.description})\nusage: ${command.usage}`)
    }
  }
  return values
}

/** `value` parsed by `schema`, or a CliError naming `--flag`. */
export function checkFlag<S extends z.ZodType>(schema: S, value: unknown, flag: string): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new CliError(`--${flag}: ${result.error.issues.map(i => i.message).join('; ')}`)
  return result.data
}

/** Several flags parsed by one object schema whose keys are the flag names. */
export function checkFlags<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(values)
  if (!result.success) throw new CliError(result.error.issues.map(i => `--${i.path.join('.')}: ${i.message}`).join('\n'))
  return result.data
}

export function integerFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`--${name} must be a whole number between ${min} and ${max}`)
  }
  return Number(value)
}
