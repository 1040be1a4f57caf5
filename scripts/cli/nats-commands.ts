import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt'
import { createAccount, createOperator, createUser, type KeyPair } from '@nats-io/nkeys'
import { CliError, integerFlag, type CliCommand } from './framework'

// `nats:setup`: a fresh operator-mode NATS deployment for Cairn (docs/operations.md, "Operator-
// mode NATS"): operator, system account, Cairn's account with a signing key for agent JWTs,
// Cairn's own .creds and a nats-server config with a memory resolver preloaded with both accounts.

// nats-server 2.9 needs every account limit spelled out: a missing one reads as 0, and connects
// then time out with "maximum account active connections exceeded" (STACK-NOTES.md).
const OPEN_LIMITS = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 }
const JETSTREAM_UNLIMITED = { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 }
// The system account carries no JetStream.
const NO_JETSTREAM = { mem_storage: 0, disk_storage: 0, streams: 0, consumer: 0 }

const seedOf = (kp: KeyPair): string => new TextDecoder().decode(kp.getSeed())

export interface NatsSetup {
  dir: string
  config: string
  creds: string
  nats_url: string
  operator: string
  system_account: string
  account: string
  signing_key: string
  env: Record<string, string>
  env_lines: string[]
  start: string
}

export async function natsSetup(folder: string, host: string, port: number): Promise<NatsSetup> {
  const dir = isAbsolute(folder) ? folder : resolve(folder)
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new CliError(`--dir: ${dir} is not empty; nats:setup never overwrites keys (choose a new folder)`)
  mkdirSync(join(dir, 'jetstream'), { recursive: true, mode: 0o700 })

  const operator = createOperator()
  const system = createAccount()
  const account = createAccount()
  const signing = createAccount()
  const cairnUser = createUser()
  const operatorJwt = await encodeOperator('cairn-operator', operator, { system_account: system.getPublicKey() })
  const systemJwt = await encodeAccount('SYS', system, { limits: { ...OPEN_LIMITS, ...NO_JETSTREAM } }, { signer: operator })
  const accountJwt = await encodeAccount('CAIRN', account, { limits: { ...OPEN_LIMITS, ...JETSTREAM_UNLIMITED }, signing_keys: [signing.getPublicKey()] }, { signer: operator })
  // Cairn's own user: signed by the account key itself, no expiry, no permission limits.
  const cairnJwt = await encodeUser('cairn', cairnUser, account)

  const secret = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content, { mode: 0o600 })
    return join(dir, name)
  }
  secret('operator.jwt', `${operatorJwt}\n`)
  secret('operator.nk', `${seedOf(operator)}\n`)
  secret('system.nk', `${seedOf(system)}\n`)
  secret('cairn-account.jwt', `${accountJwt}\n`)
  secret('cairn-account.nk', `${seedOf(account)}\n`)
  secret('cairn-signing.nk', `${seedOf(signing)}\n`)
  const creds = secret('cairn.creds', fmtCreds(cairnJwt, cairnUser))
  const config = secret('nats-server.conf', [
    '# Written by `npm run cairn -- nats:setup`: operator mode (decentralized JWT auth).',
    '# Put TLS in front before agents reach it from the internet (docs/operations.md).',
    `host: ${JSON.stringify(host)}`,
    `port: ${port}`,
    `operator: ${JSON.stringify(join(dir, 'operator.jwt'))}`,
    `system_account: ${system.getPublicKey()}`,
    'resolver: MEMORY',
    'resolver_preload: {',
    `  ${system.getPublicKey()}: ${systemJwt}`,
    `  ${account.getPublicKey()}: ${accountJwt}`,
    '}',
    `jetstream: { store_dir: ${JSON.stringify(join(dir, 'jetstream'))} }`,
    '',
  ].join('\n'))

  const natsUrl = `nats://${host.includes(':') ? `[${host}]` : host}:${port}`
  const env = {
    NATS_URL: natsUrl,
    NATS_CREDS: creds,
    NATS_AGENT_ACCOUNT: account.getPublicKey(),
    NATS_AGENT_SIGNING_SEED: seedOf(signing),
  }
  return {
    dir,
    config,
    creds,
    nats_url: natsUrl,
    operator: operator.getPublicKey(),
    system_account: system.getPublicKey(),
    account: account.getPublicKey(),
    signing_key: signing.getPublicKey(),
    env,
    env_lines: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    start: `nats-server -c ${config}`,
  }
}

export const natsCommands: CliCommand[] = [
  {
    name: 'nats:setup',
    usage: 'npm run cairn -- nats:setup --dir <folder> [--host 127.0.0.1] [--port 4222]',
    flags: {
      dir: { required: true, description: 'an empty or new folder for the keys, JWTs, creds and config' },
      host: { description: 'the address nats-server listens on (default 127.0.0.1)' },
      port: { description: 'its client port (default 4222)' },
    },
    async run(flags) {
      const host = flags.host ?? '127.0.0.1'
      if (!/^[\w.:-]+$/.test(host)) throw new CliError('--host must be a host name or an address')
      return natsSetup(flags.dir ?? '', host, integerFlag(flags.port, 'port', 1, 65535) ?? 4222)
    },
  },
]
