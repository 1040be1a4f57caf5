import { join, resolve } from 'node:path'

/**
 * Runtime environment, read lazily by key so bundlers cannot inline build-time values
 * (Nitro replaces literal `process.env.NODE_ENV` at build time).
 */
export function readEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name]
  return value === undefined || value === '' ? undefined : value
}

export interface AppEnv {
  production: boolean
  databaseUrl: string | undefined
  dataDir: string
  natsUrl: string | undefined
  publicUrl: string
  storeDomain: string
  pluginDownloadUrl: string
  hostApiCorsOrigins: string[]
  trustProxy: string | undefined
  migrateOnStart: boolean
  seedDemo: boolean
  testRoutes: boolean
}

export function loadEnv(env: NodeJS.ProcessEnv = process.env): AppEnv {
  const publicUrl = (readEnv('PUBLIC_URL', env) ?? `http://localhost:${readEnv('PORT', env) ?? '3000'}`).replace(/\/+$/, '')
  const databaseUrl = readEnv('DATABASE_URL', env)
  const seed = readEnv('SEED_DEMO', env)
  return {
    production: readEnv('NODE_ENV', env) === 'production',
    databaseUrl,
    dataDir: resolve(readEnv('DATA_DIR', env) ?? '.data'),
    natsUrl: readEnv('NATS_URL', env),
    publicUrl,
    storeDomain: readEnv('STORE_DOMAIN', env) ?? 'store.localhost:3000',
    pluginDownloadUrl: readEnv('PLUGIN_DOWNLOAD_URL', env) ?? `${publicUrl}/downloads/cairn-companion.jar?license={license_key}`,
    hostApiCorsOrigins: (readEnv('HOST_API_CORS_ORIGINS', env) ?? '').split(',').map(s => s.trim()).filter(Boolean),
    trustProxy: readEnv('TRUST_PROXY', env),
    migrateOnStart: readEnv('MIGRATE_ON_START', env) !== 'false',
    // The demo seed belongs to the embedded database unless asked for explicitly.
    seedDemo: seed === undefined ? databaseUrl === undefined : seed === 'true' || seed === '1',
    testRoutes: readEnv('CAIRN_TEST_ROUTES', env) === '1',
  }
}

export function pgliteDir(appEnv: AppEnv): string {
  return join(appEnv.dataDir, 'pglite')
}
