import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deriveKey, randomToken } from './crypto'
import type { AppEnv } from './env'

/**
 * APP_SECRET from the environment (its length and its presence in production are checked when
 * the environment is parsed); in development it is generated once into DATA_DIR.
 */
export function resolveAppSecret(env: Pick<AppEnv, 'appSecret' | 'dataDir'>): string {
  if (env.appSecret !== undefined) return env.appSecret
  const file = join(env.dataDir, 'app-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(env.dataDir, { recursive: true })
  const secret = randomToken(48)
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  return secret
}

export interface AppKeys {
  session: Buffer
  seal: Buffer
}

export function deriveAppKeys(appSecret: string): AppKeys {
  return { session: deriveKey(appSecret, 'session-jwt'), seal: deriveKey(appSecret, 'seal') }
}
