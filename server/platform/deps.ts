import type { Db } from '../db'
import type { NatsLink } from '../integrations/nats/connection'
import type { AppKeys } from './app-secret'
import { systemClock, type Clock } from './clock'
import type { AppEnv } from './env'
import { logger, type Logger } from './logger'
import type { NotifyBus } from './notify'

/**
 * What every domain function takes as its first argument. Inside a database transaction the
 * same deps travel with the transaction as their handle: `{ ...deps, db: tx }`. Tenant ids are
 * never part of it: they are explicit arguments, so every query visibly filters by them.
 */
export interface Deps {
  db: Db
  clock: Clock
  log: Logger
  env: AppEnv
  keys: AppKeys
  /** Present when NATS_URL is set. */
  nats?: NatsLink
  /** Cross-replica signals (LISTEN/NOTIFY, server/platform/notify.ts); absent in the CLI and most tests. */
  bus?: NotifyBus
}

/** The one way to assemble deps (server start-up, CLI, benchmarks, tests); clock and log default to the real ones. */
export function createDeps(parts: Pick<Deps, 'db' | 'env' | 'keys'> & Partial<Pick<Deps, 'clock' | 'log' | 'nats' | 'bus'>>): Deps {
  return {
    db: parts.db,
    env: parts.env,
    keys: parts.keys,
    clock: parts.clock ?? systemClock,
    log: parts.log ?? logger,
    ...(parts.nats ? { nats: parts.nats } : {}),
    ...(parts.bus ? { bus: parts.bus } : {}),
  }
}
