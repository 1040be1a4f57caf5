import type { AppKeys } from '../platform/app-secret'
import type { Clock } from '../platform/clock'
import type { AppEnv } from '../platform/env'
import type { Db, DbHandle } from '../db'
import type { LoginThrottle } from '../domains/auth/login'
import type { Logger } from '../platform/logger'
import type { NatsLink } from '../integrations/nats/connection'

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
