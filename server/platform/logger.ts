/** One line of JSON per event on stdout. Callers pass only non-secret fields. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

function write(level: string, msg: string, fields?: Record<string, unknown>) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
  if (level === 'error') process.stderr.write(`${line}\n`)
  else process.stdout.write(`${line}\n`)
}

export const logger: Logger = {
  info: (msg, fields) => write('info', msg, fields),
  warn: (msg, fields) => write('warn', msg, fields),
  error: (msg, fields) => write('error', msg, fields),
}

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, error_name: error.name, stack: error.stack }
  return { error: String(error) }
}

/** Paths whose segments are credentials (claim links) are logged redacted; query strings never. */
export function loggablePath(path: string): string {
  const bare = path.split('?')[0] ?? path
  return bare.replace(/^\/claim\/[^/]+/, '/claim/[redacted]')
}
