import type { AppKeys } from '../services/app-secret'
import type { Clock } from '../services/clock'
import type { AppEnv } from '../services/env'
import type { Db, DbHandle } from '../db'
import type { LoginThrottle } from '../services/auth'
import type { Logger } from '../services/logger'
import type { NatsLink } from '../services/nats'

export interface AppContext {
  env: AppEnv
  handle: DbHandle
  db: Db
  keys: AppKeys
  clock: Clock
  loginThrottle: LoginThrottle
  log: Logger
  /** Present when NATS_URL is set. */
  nats: NatsLink | undefined
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
