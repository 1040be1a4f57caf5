import type { DbHandle } from '../db'
import type { Deps } from '../platform/deps'

export interface AppContext {
  /** What route handlers, guards and plugins pass to domain functions (see `useDeps`). */
  deps: Deps
  /** The database handle itself, for health checks. */
  handle: DbHandle
}

let ready: Promise<AppContext> | undefined

/** Set once by the start-up plugin; every handler awaits the same initialised context. */
export function setAppContext(context: Promise<AppContext>): void {
  ready = context
}

export function useAppContext(): Promise<AppContext> {
  if (!ready) throw new Error('app context used before start-up')
  return ready
}
