import { join, resolve } from 'node:path'
import { NATS_AGENT_TTL_DEFAULT_SECONDS } from '../../shared/contracts/limits'
import { VARIABLES, type Variables } from './env-variables'

// Every environment variable Cairn reads, parsed once. The server calls appEnv() before anything
// else, so a bad value stops start-up with one line naming the variable; the CLI does the same.
// To add a variable: one entry in VARIABLES (env-variables.ts), one field in AppEnv, one line in toAppEnv().

/** A configuration mistake: reported as one line naming the variable, never with a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The platform's own PayPal app (webstore subscriptions); any part may be unset. */
export interface PlatformPayPalEnv {
  clientId: string | undefined
  clientSecret: string | undefined
  planId: string | undefined
  /** Needed to verify webhook signatures. */
  webhookId: string | undefined
  mode: 'sandbox' | 'live'
}

/** How Cairn mints agents' NATS credentials (API.md, "Agent NATS credentials"). */
export interface NatsAgentEnv {
  /** The account (`A...`) agent users belong to. */
  account: string
  /** That account's signing key seed (`SA...`): a secret, never logged. */
  signingSeed: string
  /** Handed to agents. */
  servers: string[]
  ttlSeconds: number
}

export interface AppEnv {
  production: boolean
  port: number
  /** Listener address; unset → all interfaces. */
  host: string | undefined
  databaseUrl: string | undefined
  dataDir: string
  /** A migrations folder other than the one beside the built server. */
  migrationsDir: string | undefined
  natsUrl: string | undefined
  /** Cairn's own .creds file for NATS_URL; unset → no credentials (a trusted network). */
  natsCreds: string | undefined
  /** Unset → this deployment issues no agent credentials (the endpoint answers 409). */
  natsAgent: NatsAgentEnv | undefined
  /** Unset in development (generated into DATA_DIR); required in production. */
  appSecret: string | undefined
  publicUrl: string
  storeDomain: string
  pluginDownloadUrl: string
  /** Overrides PayPal's REST origin for every store and the platform app (tests, proxies). */
  paypalApiBase: string | undefined
  /** Replaces https://discord.com in the webhook URL check and the call (tests only). */
  discordApiBase: string | undefined
  platformPayPal: PlatformPayPalEnv
  hostApiCorsOrigins: string[]
  /** `loopback`, addresses and CIDRs whose X-Forwarded-* headers are believed; empty → none. */
  trustProxy: string[]
  /** Unset → mails are written to DATA_DIR/mail/ instead of sent. */
  smtpUrl: string | undefined
  mailFrom: string
  migrateOnStart: boolean
  seedDemo: boolean
}

function natsAgentEnv(v: Variables): NatsAgentEnv | undefined {
  if (v.NATS_CREDS !== undefined && v.NATS_URL === undefined) throw new ConfigError('invalid configuration: NATS_CREDS is set but NATS_URL is not')
  if ((v.NATS_AGENT_SIGNING_SEED === undefined) !== (v.NATS_AGENT_ACCOUNT === undefined)) {
    throw new ConfigError('invalid configuration: NATS_AGENT_SIGNING_SEED and NATS_AGENT_ACCOUNT go together: set both (agent credentials) or neither')
  }
  if (v.NATS_AGENT_SIGNING_SEED === undefined || v.NATS_AGENT_ACCOUNT === undefined) return undefined
  const servers = v.NATS_AGENT_SERVERS ?? (v.NATS_URL === undefined ? undefined : [v.NATS_URL])
  if (!servers) throw new ConfigError('invalid configuration: NATS_AGENT_SIGNING_SEED is set but neither NATS_AGENT_SERVERS nor NATS_URL names a server for agents')
  return { account: v.NATS_AGENT_ACCOUNT, signingSeed: v.NATS_AGENT_SIGNING_SEED, servers, ttlSeconds: v.NATS_AGENT_TTL_S ?? NATS_AGENT_TTL_DEFAULT_SECONDS }
}

function toAppEnv(v: Variables): AppEnv {
  const port = v.PORT ?? 3000
  const publicUrl = v.PUBLIC_URL ?? `http://localhost:${port}`
  const production = v.NODE_ENV === 'production'
  if (production && v.APP_SECRET === undefined) {
    // A secret invented per replica would split sessions and sealed data between them.
    throw new ConfigError('APP_SECRET is required when NODE_ENV=production: set it to at least 32 random bytes (openssl rand -base64 48). Refusing to start.')
  }
  return {
    production,
    port,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    dataDir: resolve(v.DATA_DIR ?? '.data'),
    migrationsDir: v.CAIRN_MIGRATIONS_DIR,
    natsUrl: v.NATS_URL,
    natsCreds: v.NATS_CREDS,
    natsAgent: natsAgentEnv(v),
    appSecret: v.APP_SECRET,
    publicUrl,
    storeDomain: v.STORE_DOMAIN ?? 'store.localhost:3000',
    pluginDownloadUrl: v.PLUGIN_DOWNLOAD_URL ?? `${publicUrl}/downloads/cairn-agent.mjs?license={license_key}`,
    paypalApiBase: v.PAYPAL_API_BASE,
    discordApiBase: v.DISCORD_API_BASE,
    platformPayPal: {
      clientId: v.PLATFORM_PAYPAL_CLIENT_ID,
      clientSecret: v.PLATFORM_PAYPAL_CLIENT_SECRET,
      planId: v.PLATFORM_PAYPAL_PLAN_ID,
      webhookId: v.PLATFORM_PAYPAL_WEBHOOK_ID,
      mode: v.PLATFORM_PAYPAL_MODE ?? 'sandbox',
    },
    hostApiCorsOrigins: v.HOST_API_CORS_ORIGINS ?? [],
    trustProxy: v.TRUST_PROXY ?? [],
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM ?? `Cairn <no-reply@${new URL(publicUrl).hostname}>`,
    migrateOnStart: v.MIGRATE_ON_START ?? true,
    // The demo seed belongs to the embedded database unless asked for explicitly.
    seedDemo: v.SEED_DEMO ?? v.DATABASE_URL === undefined,
  }
}

/** Parses `env`; throws a ConfigError whose one-line message names every bad variable. */
export function loadEnv(env: Readonly<Record<string, string | undefined>> = process.env): AppEnv {
  const parsed = VARIABLES.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
  return toAppEnv(parsed.data)
}

let processEnv: AppEnv | undefined

/**
 * This process's configuration, parsed from its environment on first use. Read as a whole object
 * at run time: Nitro would inline a literal `process.env.NODE_ENV` with its build-time value.
 */
export function appEnv(): AppEnv {
  processEnv ??= loadEnv()
  return processEnv
}

export function pgliteDir(env: Pick<AppEnv, 'dataDir'>): string {
  return join(env.dataDir, 'pglite')
}
