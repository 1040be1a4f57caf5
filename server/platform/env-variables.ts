import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { z } from 'zod'
import { isAccountPublicKey, isAccountSeed } from '../integrations/nats/jwt'

// The table of every environment variable Cairn reads, each with the parser of its value. A value
// that does not parse becomes one issue naming the variable (env.ts joins them into one line);
// how variables combine and what their defaults are is decided in env.ts.

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

export const VARIABLES = z.object({
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

export type Variables = z.output<typeof VARIABLES>
