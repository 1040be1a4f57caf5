import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createAccount, createUser } from '@nats-io/nkeys'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadEnv } from '../../server/platform/env'

/** The ConfigError message loadEnv throws for `env` (fails the test when it parses). */
function refusal(env: Record<string, string>): string {
  try {
    loadEnv(env)
  }
  catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).message
  }
  throw new Error(`accepted ${JSON.stringify(env)}`)
}

describe('configuration defaults', () => {
  it('defaults to the embedded database with the demo seed', () => {
    const env = loadEnv({})
    expect(env).toMatchObject({
      production: false,
      port: 3000,
      host: undefined,
      databaseUrl: undefined,
      dataDir: resolve('.data'),
      natsUrl: undefined,
      appSecret: undefined,
      seedDemo: true,
      migrateOnStart: true,
      publicUrl: 'http://localhost:3000',
      storeDomain: 'store.localhost:3000',
      pluginDownloadUrl: 'http://localhost:3000/downloads/cairn-agent.mjs?license={license_key}',
      paypalApiBase: undefined,
      platformPayPal: { clientId: undefined, clientSecret: undefined, planId: undefined, webhookId: undefined, mode: 'sandbox' },
      hostApiCorsOrigins: [],
      trustProxy: [],
    })
  })

  it('the default public URL follows PORT; an empty variable counts as unset', () => {
    expect(loadEnv({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080')
    expect(loadEnv({ PORT: '', TRUST_PROXY: '', SEED_DEMO: '' })).toMatchObject({ port: 3000, trustProxy: [], seedDemo: true })
  })

  it('reads PostgreSQL settings and switches', () => {
    const env = loadEnv({ DATABASE_URL: 'postgres://x', MIGRATE_ON_START: 'false', PUBLIC_URL: 'https://panel.example.com/', HOST_API_CORS_ORIGINS: 'https://a.example, https://b.example:8443' })
    expect(env.seedDemo).toBe(false)
    expect(env.migrateOnStart).toBe(false)
    expect(env.publicUrl).toBe('https://panel.example.com')
    expect(env.hostApiCorsOrigins).toEqual(['https://a.example', 'https://b.example:8443'])
    expect(loadEnv({ DATABASE_URL: 'postgres://x', SEED_DEMO: 'yes' }).seedDemo).toBe(true)
    expect(loadEnv({ MIGRATE_ON_START: '0', SEED_DEMO: 'OFF' })).toMatchObject({ migrateOnStart: false, seedDemo: false })
  })

  it('groups the platform PayPal app and keeps an origin-only PayPal base', () => {
    const platform = { CLIENT_ID: 'cid', CLIENT_SECRET: 'sec', PLAN_ID: 'P-1', WEBHOOK_ID: 'WH-1', MODE: 'live' }
    const env = loadEnv({ PAYPAL_API_BASE: 'http://127.0.0.1:4010/', ...Object.fromEntries(Object.entries(platform).map(([k, v]) => [`PLATFORM_PAYPAL_${k}`, v])) })
    expect(env.paypalApiBase).toBe('http://127.0.0.1:4010')
    expect(env.platformPayPal).toEqual({ clientId: 'cid', clientSecret: 'sec', planId: 'P-1', webhookId: 'WH-1', mode: 'live' })
  })

  it('accepts loopback, addresses and CIDRs of both families as trusted proxies', () => {
    expect(loadEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7, fd00::/8, ::1' }).trustProxy)
      .toEqual(['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1'])
  })

  it('requires APP_SECRET in production, and a long one whenever it is set', () => {
    expect(refusal({ NODE_ENV: 'production' })).toMatch(/^APP_SECRET is required when NODE_ENV=production/)
    expect(refusal({ APP_SECRET: 'short' })).toMatch(/APP_SECRET: must be at least 32 bytes/)
    const secret = 'x'.repeat(32)
    expect(loadEnv({ NODE_ENV: 'production', APP_SECRET: secret })).toMatchObject({ production: true, appSecret: secret })
  })
})

describe('mail configuration', () => {
  it('defaults to writing mails to DATA_DIR/mail/ from no-reply at the panel host', () => {
    expect(loadEnv({})).toMatchObject({ smtpUrl: undefined, mailFrom: 'Cairn <no-reply@localhost>' })
    expect(loadEnv({ PUBLIC_URL: 'https://panel.example.com' }).mailFrom).toBe('Cairn <no-reply@panel.example.com>')
  })

  it('reads SMTP_URL and MAIL_FROM, and refuses bad ones without echoing a password', () => {
    expect(loadEnv({ SMTP_URL: 'smtp://user:pass@mail.example.com:587', MAIL_FROM: 'Shop <shop@example.com>' })).toMatchObject({ smtpUrl: 'smtp://user:pass@mail.example.com:587', mailFrom: 'Shop <shop@example.com>' })
    expect(loadEnv({ SMTP_URL: 'smtps://mail.example.com', MAIL_FROM: 'shop@example.com' }).mailFrom).toBe('shop@example.com')
    const smtp = refusal({ SMTP_URL: 'http://user:s3cret@mail.example.com' })
    expect(smtp).toMatch(/SMTP_URL: is not a smtp:\/\/user:pass@host:587 URL/)
    expect(smtp).not.toContain('s3cret')
    expect(refusal({ MAIL_FROM: 'not an address' })).toMatch(/^invalid configuration: MAIL_FROM: 'not an address' is not a mail address/)
  })
})

describe('configuration refusals name the variable and the problem', () => {
  it.each([
    ['TRUST_PROXY', 'loopbak', /TRUST_PROXY: 'loopbak' is not loopback, an IP address or a CIDR/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY: '10.0.0.0\/33' is not/],
    ['TRUST_PROXY', '10.0.0.1,nope', /TRUST_PROXY: 'nope' is not/],
    ['PUBLIC_URL', 'panel.example.com', /PUBLIC_URL: 'panel.example.com' is not a URL/],
    ['PUBLIC_URL', 'ftp://panel.example.com', /PUBLIC_URL: 'ftp:\/\/panel.example.com' must use http or https/],
    ['PUBLIC_URL', 'https://panel.example.com/cairn', /PUBLIC_URL: .* must be an origin \(https:\/\/panel.example.com\) without a path/],
    ['PAYPAL_API_BASE', 'http://127.0.0.1:4010/v1', /PAYPAL_API_BASE: .* must be an origin \(http:\/\/127.0.0.1:4010\) without a path/],
    ['PAYPAL_API_BASE', 'https://api-m.paypal.com?x=1', /PAYPAL_API_BASE: .* must be an origin/],
    ['PAYPAL_API_BASE', 'https://user:pw@proxy.example', /PAYPAL_API_BASE: must not carry credentials/],
    ['DISCORD_API_BASE', 'http://127.0.0.1:4020/api', /DISCORD_API_BASE: .* must be an origin \(http:\/\/127.0.0.1:4020\) without a path/],
    ['PLATFORM_PAYPAL_MODE', 'production', /PLATFORM_PAYPAL_MODE: 'production' must be sandbox or live/],
    ['MIGRATE_ON_START', 'nope', /MIGRATE_ON_START: 'nope' is not a boolean/],
    ['SEED_DEMO', 'maybe', /SEED_DEMO: 'maybe' is not a boolean/],
    ['HOST_API_CORS_ORIGINS', 'https://a.example,b.example', /HOST_API_CORS_ORIGINS: 'b.example' is not a URL/],
    ['HOST_API_CORS_ORIGINS', 'https://a.example/app', /HOST_API_CORS_ORIGINS: .* must be an origin/],
    ['PORT', 'http', /PORT: 'http' is not a port/],
    ['PORT', '0', /PORT: '0' is not a port/],
    ['PORT', '65536', /PORT: '65536' is not a port/],
    ['DATABASE_URL', 'mysql://root@db/cairn', /DATABASE_URL: is not a postgres:\/\/ URL/],
    ['NATS_URL', 'http://127.0.0.1:4222', /NATS_URL: is not a NATS server URL/],
    ['STORE_DOMAIN', 'https://store.example.com', /STORE_DOMAIN: .* is not a domain/],
    ['PLUGIN_DOWNLOAD_URL', 'downloads/{license_key}', /PLUGIN_DOWNLOAD_URL: .* is not an http\(s\) URL template/],
    ['HOST', 'http://0.0.0.0', /HOST: must be a host name or address/],
  ])('%s=%s', (name, value, expected) => {
    const message = refusal({ [name]: value })
    expect(message).toMatch(expected)
    expect(message).not.toContain('\n')
  })

  it('never echoes a value that could carry a password', () => {
    for (const [name, value] of [['DATABASE_URL', 'mysql://root:hunter2@db/cairn'], ['NATS_URL', 'http://agent:hunter2@nats'], ['PUBLIC_URL', 'ftp://u:hunter2@x']]) {
      expect(refusal({ [name!]: value! })).not.toContain('hunter2')
    }
  })

  it('reports every bad variable on one line', () => {
    const message = refusal({ TRUST_PROXY: 'loopbak', PORT: 'x' })
    expect(message).toMatch(/^invalid configuration: .*PORT: .*; .*TRUST_PROXY: |^invalid configuration: .*TRUST_PROXY: .*; .*PORT: /)
    expect(message).not.toContain('\n')
  })
})

describe('NATS credentials configuration', () => {
  const account = createAccount()
  const signing = createAccount()
  const seed = new TextDecoder().decode(signing.getSeed())
  const userSeed = new TextDecoder().decode(createUser().getSeed())
  const agentVars = { NATS_URL: 'nats://nats.internal:4222', NATS_AGENT_ACCOUNT: account.getPublicKey(), NATS_AGENT_SIGNING_SEED: seed }

  it('issues nothing by default; with an account and its signing seed, agents get NATS_URL and a one-hour TTL', () => {
    expect(loadEnv({})).toMatchObject({ natsCreds: undefined, natsAgent: undefined })
    expect(loadEnv(agentVars).natsAgent).toEqual({ account: account.getPublicKey(), signingSeed: seed, servers: ['nats://nats.internal:4222'], ttlSeconds: 3600 })
    expect(loadEnv({ ...agentVars, NATS_AGENT_SERVERS: 'tls://a.example:4222, tls://b.example:4222', NATS_AGENT_TTL_S: '600' }).natsAgent)
      .toMatchObject({ servers: ['tls://a.example:4222', 'tls://b.example:4222'], ttlSeconds: 600 })
  })

  it('reads a .creds file and refuses a missing or malformed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-env-creds-'))
    try {
      const creds = join(dir, 'cairn.creds')
      writeFileSync(creds, '-----BEGIN NATS USER JWT-----\nx.y.z\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSUXXX\n------END USER NKEY SEED------\n')
      expect(loadEnv({ NATS_URL: 'nats://n:4222', NATS_CREDS: creds }).natsCreds).toBe(creds)
      expect(refusal({ NATS_URL: 'nats://n:4222', NATS_CREDS: join(dir, 'missing.creds') })).toMatch(/NATS_CREDS: cannot read/)
      writeFileSync(join(dir, 'bad.creds'), 'not creds')
      expect(refusal({ NATS_URL: 'nats://n:4222', NATS_CREDS: join(dir, 'bad.creds') })).toMatch(/NATS_CREDS: .* is not a NATS \.creds file/)
      expect(refusal({ NATS_CREDS: creds })).toMatch(/NATS_CREDS is set but NATS_URL is not/)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    ['NATS_AGENT_SIGNING_SEED', userSeed, /NATS_AGENT_SIGNING_SEED: is not an account seed/],
    ['NATS_AGENT_SIGNING_SEED', `${seed.slice(0, 20)}${seed[20] === 'A' ? 'B' : 'A'}${seed.slice(21)}`, /NATS_AGENT_SIGNING_SEED: is not an account seed/],
    ['NATS_AGENT_ACCOUNT', seed, /NATS_AGENT_ACCOUNT: is not an account public key/],
    ['NATS_AGENT_ACCOUNT', createUser().getPublicKey(), /NATS_AGENT_ACCOUNT: is not an account public key/],
    ['NATS_AGENT_TTL_S', '0', /NATS_AGENT_TTL_S: '0' is not a positive whole number/],
    ['NATS_AGENT_TTL_S', '1.5', /NATS_AGENT_TTL_S: '1.5' is not a positive whole number/],
    ['NATS_AGENT_SERVERS', 'http://x', /NATS_AGENT_SERVERS: is not a comma-separated list of NATS server URLs/],
  ])('refuses %s=<bad> naming it, and never echoes a seed', (variable, value, problem) => {
    const message = refusal({ ...agentVars, [variable]: value })
    expect(message).toMatch(problem)
    for (const secret of [seed, userSeed, value.startsWith('S') ? value : '']) if (secret) expect(message).not.toContain(secret.slice(0, 12))
  })

  it('wants the account and its signing seed together, and a server to hand to agents', () => {
    expect(refusal({ NATS_AGENT_SIGNING_SEED: seed, NATS_URL: 'nats://n:4222' })).toMatch(/NATS_AGENT_SIGNING_SEED and NATS_AGENT_ACCOUNT go together/)
    expect(refusal({ NATS_AGENT_ACCOUNT: account.getPublicKey() })).toMatch(/go together/)
    expect(refusal({ NATS_AGENT_ACCOUNT: account.getPublicKey(), NATS_AGENT_SIGNING_SEED: seed })).toMatch(/neither NATS_AGENT_SERVERS nor NATS_URL/)
    expect(refusal({ NATS_AGENT_ACCOUNT: account.getPublicKey(), NATS_AGENT_SIGNING_SEED: seed })).not.toContain(seed.slice(0, 12))
  })
})
