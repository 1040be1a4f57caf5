import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { isAccountPublicKey, isAccountSeed } from '../integrations/nats/jwt'
import { NATS_AGENT_TTL_DEFAULT_SECONDS } from '../../shared/contracts/limits'

// Every environment variable Cairn reads, parsed once. The server calls appEnv() before anything
// else, so a bad value stops start-up with one line naming the variable; the CLI does the same.
// To add a variable: one entry in VARIABLES, one field in AppEnv, one line in toAppEnv().

/** A configuration mistake: reported as one line naming the variable, never with a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, 1: true, 0: false, yes: true, no: false, on: true, off: false }

/**
 * `value` quoted for a message, unless it could carry credentials (user:password@). Single quotes:
 * the message ends up in a JSON log line, where double quotes would be escaped.
 */
function shown(value: string): string {
  return value.includes('@') ? 'the value' : `'${value}'`
}

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message })
  return z.NEVER as never
}

const booleanWord = z.string().transform((value, ctx) => {
  const parsed = BOOLEAN_WORDS[value.trim().toLowerCase()]
  return parsed ?? fail(ctx, `${shown(value)} is not a boolean (use true or false)`)
})

const port = z.string().transform((value, ctx) => {
  const n = Number(value)
  return /^\d{1,5}$/.test(value.trim()) && n >= 1 && n <= 65535 ? n : fail(ctx, `${shown(value)} is not a port (a whole number from 1 to 65535)`)
})

/** `scheme://host[:port]` with nothing after it (a trailing slash is dropped); normalised like a browser's Origin. */
function origin(protocols: readonly string[]) {
  return z.string().transform((value, ctx) => {
    let url: URL
    try {
      url = new URL(value.trim())
    }
    catch {
      return fail(ctx, `${shown(value)} is not a URL (expected ${protocols[0]}//host[:port])`)
    }
    if (!protocols.includes(url.protocol)) return fail(ctx, `${shown(value)} must use ${protocols.map(p => p.slice(0, -1)).join(' or ')}`)
    if (url.username || url.password) return fail(ctx, 'must not carry credentials')
    if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(value)) {
      return fail(ctx, `${shown(value)} must be an origin (${url.origin}) without a path, query or fragment`)
    }
    return url.origin
  })
}

const httpOrigin = origin(['http:', 'https:'])

const originList = z.string().transform((value, ctx) => {
  const origins: string[] = []
  for (const entry of value.split(',').map(s => s.trim()).filter(Boolean)) {
    const parsed = httpOrigin.safeParse(entry)
    if (!parsed.success) return fail(ctx, parsed.error.issues[0]?.message ?? `${shown(entry)} is not an origin`)
    origins.push(parsed.data)
  }
  return origins
})

/** `loopback`, addresses and CIDRs, comma-separated. */
const trustProxyList = z.string().transform((value, ctx) => {
  const entries = value.split(',').map(s => s.trim()).filter(Boolean)
  for (const entry of entries) {
    if (entry === 'loopback') continue
    const [addr = '', bits, extra] = entry.split('/')
    const family = isIP(addr)
    const maxBits = family === 6 ? 128 : 32
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits)
    if (!family || !validBits || extra !== undefined) {
      return fail(ctx, `${shown(entry)} is not loopback, an IP address or a CIDR (e.g. 10.0.0.0/8)`)
    }
  }
  return entries
})

const urlWithProtocols = (protocols: readonly string[], example: string) => z.string().transform((value, ctx) => {
  let url: URL | undefined
  try {
    url = new URL(value.trim())
  }
  catch {
    url = undefined
  }
  // Never echoed: these URLs may carry passwords.
  return url && protocols.includes(url.protocol) ? value.trim() : fail(ctx, `is not a ${example} URL`)
})

/** `smtp://` or `smtps://` with optional user:password@ (never echoed). */
const smtpUrl = urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:pass@host:587')

/** `address@domain` or `Name <address@domain>`. */
const mailFrom = z.string().transform((value, ctx) => {
  const v = value.trim()
  const address = /<([^<>\s]+)>$/.exec(v)?.[1] ?? v
  return /^[^@\s<>]+@[^@\s<>]+$/.test(address) && !/[\r\n]/.test(v) ? v : fail(ctx, `${shown(value)} is not a mail address (cairn@example.com or "Cairn <cairn@example.com>")`)
})

const natsUrl = z.string().transform((value, ctx) => {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? value.trim() : `nats://${value.trim()}`
  const parsed = urlWithProtocols(['nats:', 'tls:', 'ws:', 'wss:'], 'nats://host:port').safeParse(withScheme)
  return parsed.success ? value.trim() : fail(ctx, 'is not a NATS server URL (nats://host:port)')
})

const natsUrlList = z.string().transform((value, ctx) => {
  const urls = value.split(',').map(s => s.trim()).filter(Boolean)
  if (urls.length === 0) return fail(ctx, 'must list at least one NATS URL')
  for (const url of urls) {
    if (!natsUrl.safeParse(url).success) return fail(ctx, 'is not a comma-separated list of NATS server URLs (nats://host:port)')
  }
  return urls
})

/** A readable NATS credentials file (a user JWT and its seed); its content is never echoed. */
const credsFile = z.string().transform((value, ctx) => {
  let content: string
  try {
    content = readFileSync(value.trim(), 'utf8')
  }
  catch {
    return fail(ctx, `cannot read ${shown(value.trim())}`)
  }
  const ok = /-{3,}BEGIN NATS USER JWT-{3,}/.test(content) && /-{3,}BEGIN USER NKEY SEED-{3,}/.test(content)
  return ok ? value.trim() : fail(ctx, `${shown(value.trim())} is not a NATS .creds file (a user JWT and its seed)`)
})

// Keys are checked by their checksums; a seed is never echoed, not even in part.
const accountSeed = z.string().transform((value, ctx) => (isAccountSeed(value.trim()) ? value.trim() : fail(ctx, 'is not an account seed (SA..., as nsc or `npm run cairn -- nats:setup` prints it)')))
const accountPublicKey = z.string().transform((value, ctx) => (isAccountPublicKey(value.trim()) ? value.trim() : fail(ctx, 'is not an account public key (A..., 56 characters)')))

const positiveInteger = z.string().transform((value, ctx) => {
  const n = Number(value.trim())
  return /^\d{1,10}$/.test(value.trim()) && n >= 1 && n <= 2 ** 31 - 1 ? n : fail(ctx, `${shown(value)} is not a positive whole number`)
})

/** `host[:port]`, lower-cased: storefronts live at `<subdomain>.<this>`. */
const domainWithPort = z.string().transform((value, ctx) => {
  const v = value.trim().toLowerCase()
  const ok = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/.test(v)
  return ok ? v : fail(ctx, `${shown(value)} is not a domain with an optional port (e.g. store.example.com)`)
})

const downloadTemplate = z.string().transform((value, ctx) => {
  const parsed = urlWithProtocols(['http:', 'https:'], 'http(s)').safeParse(value.replaceAll('{license_key}', 'key'))
  return parsed.success ? value.trim() : fail(ctx, `${shown(value)} is not an http(s) URL template`)
})

const MIN_SECRET_BYTES = 32
const appSecret = z.string().refine(value => Buffer.byteLength(value, 'utf8') >= MIN_SECRET_BYTES, {
  message: `must be at least ${MIN_SECRET_BYTES} bytes long (try: openssl rand -base64 48)`,
})

const text = z.string().transform(value => value.trim()).pipe(z.string().min(1, 'must not be blank'))
const listenHost = z.string().regex(/^[^\s/]+$/, 'must be a host name or address')
const paypalMode = z.enum(['sandbox', 'live'], { error: issue => `${shown(String(issue.input))} must be sandbox or live` })

/** An unset or empty variable is absent; the rest must parse. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(value => (value === '' ? undefined : value), schema.optional())
}

const VARIABLES = z.object({
  NODE_ENV: optional(z.string()),
  PORT: optional(port),
  HOST: optional(listenHost),
  DATABASE_URL: optional(urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://')),
  DATA_DIR: optional(text),
  CAIRN_MIGRATIONS_DIR: optional(text),
  NATS_URL: optional(natsUrl),
  NATS_CREDS: optional(credsFile),
  NATS_AGENT_ACCOUNT: optional(accountPublicKey),
  NATS_AGENT_SIGNING_SEED: optional(accountSeed),
  NATS_AGENT_SERVERS: optional(natsUrlList),
  NATS_AGENT_TTL_S: optional(positiveInteger),
  APP_SECRET: optional(appSecret),
  PUBLIC_URL: optional(httpOrigin),
  STORE_DOMAIN: optional(domainWithPort),
  PLUGIN_DOWNLOAD_URL: optional(downloadTemplate),
  PAYPAL_API_BASE: optional(httpOrigin),
  DISCORD_API_BASE: optional(httpOrigin),
  PLATFORM_PAYPAL_CLIENT_ID: optional(text),
  PLATFORM_PAYPAL_CLIENT_SECRET: optional(text),
  PLATFORM_PAYPAL_PLAN_ID: optional(text),
  PLATFORM_PAYPAL_WEBHOOK_ID: optional(text),
  PLATFORM_PAYPAL_MODE: optional(paypalMode),
  HOST_API_CORS_ORIGINS: optional(originList),
  TRUST_PROXY: optional(trustProxyList),
  SMTP_URL: optional(smtpUrl),
  MAIL_FROM: optional(mailFrom),
  MIGRATE_ON_START: optional(booleanWord),
  SEED_DEMO: optional(booleanWord),
})

type Variables = z.output<typeof VARIABLES>

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
