// One JSON object per line on stdout: { time, level, event, ...fields }. Never a token or password.

export type Level = 'info' | 'warn' | 'error'

export function log(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`)
}

export const info = (event: string, fields?: Record<string, unknown>) => log('info', event, fields)
export const warn = (event: string, fields?: Record<string, unknown>) => log('warn', event, fields)
export const error = (event: string, fields?: Record<string, unknown>) => log('error', event, fields)

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))
