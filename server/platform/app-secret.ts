import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deriveKey, randomToken } from './crypto'
import { readEnv, type AppEnv } from './env'

export class ConfigError extends Error {}

const MIN_SECRET_BYTES = 32

/**
 * APP_SECRET from the environment; in development it is generated once into DATA_DIR.
 * Production without APP_SECRET is a deployment mistake: refuse rather than invent one per replica.
 */
export function resolveAppSecret(appEnv: AppEnv, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = readEnv('APP_SECRET', env)
  if (fromEnv !== undefined) {
    if (Buffer.byteLength(fromEnv, 'utf8') < MIN_SECRET_BYTES) {
      throw new ConfigError(`APP_SECRET must be at least ${MIN_SECRET_BYTES} bytes long (try: openssl rand -base64 48)`)
    }
    return fromEnv
  }
  if (appEnv.production) {
    throw new ConfigError('APP_SECRET is required when NODE_ENV=production: set it to at least 32 random bytes (openssl rand -base64 48). Refusing to start.')
  }
  const file = join(appEnv.dataDir, 'app-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(appEnv.dataDir, { recursive: true })
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
