import type { DbHandle } from '../db'
import type { AppEnv } from './env'
import type { Health } from '../../shared/contracts/health'
import { HEALTH_DB_TIMEOUT_MS } from '../../shared/contracts/limits'

/** Pluggable NATS probe: the messaging module registers itself when it connects. */
let natsProbe: (() => 'ok' | 'down') | undefined
export function registerNatsProbe(probe: () => 'ok' | 'down'): void {
  natsProbe = probe
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms)
    })])
  }
  finally {
    clearTimeout(timer)
  }
}

export async function checkHealth(handle: DbHandle, env: Pick<AppEnv, 'natsUrl'>): Promise<Health> {
  let db: Health['db'] = 'ok'
  try {
    await withTimeout(handle.ping(), HEALTH_DB_TIMEOUT_MS)
  }
  catch {
    db = 'down'
  }
  const nats: Health['nats'] = !env.natsUrl ? 'disabled' : natsProbe ? natsProbe() : 'down'
  return { status: db === 'ok' ? 'ok' : 'error', db, nats }
}
