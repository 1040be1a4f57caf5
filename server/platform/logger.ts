import { systemClock, type Clock } from './clock'

/** One line of JSON per event on stdout (errors on stderr). Callers pass only non-secret fields. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

type Level = 'info' | 'warn' | 'error'

export interface LogSink {
  stdout(line: string): void
  stderr(line: string): void
}

const processSink: LogSink = {
  stdout: line => process.stdout.write(line),
  stderr: line => process.stderr.write(line),
}

export function createLogger(clock: Clock = systemClock, sink: LogSink = processSink): Logger {
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    const line = `${JSON.stringify({ time: clock.now().toISOString(), level, msg, ...fields })}\n`
    if (level === 'error') sink.stderr(line)
    else sink.stdout(line)
  }
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  }
}

export const logger: Logger = createLogger()

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, error_name: error.name, stack: error.stack }
  return { error: String(error) }
}

/** Paths whose segments are credentials (claim and password-reset links) are logged redacted; query strings never. */
export function loggablePath(path: string): string {
  const bare = path.split('?')[0] ?? path
  return bare.replace(/^\/(claim|reset)\/[^/]+/, '/$1/[redacted]')
}
