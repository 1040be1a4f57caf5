import { info } from '../log'
import type { Executor } from './types'

/** Prints each command as a JSON log line instead of running it (dry runs, the demo). Every player counts as online. */
export class StdoutExecutor implements Executor {
  readonly name = 'stdout' as const
  async ready(): Promise<void> {}
  async send(command: string, beforeWrite?: () => void): Promise<string> {
    beforeWrite?.()
    info('command_printed', { command })
    return 'printed (stdout executor)'
  }

  async onlinePlayers(): Promise<Set<string>> {
    return new Set(['*'])
  }

  async close(): Promise<void> {}
}
