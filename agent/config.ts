import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { UUID_RE } from '../shared/rules/uuid'

// Configuration from the environment, each variable mirrored by a --flag (the flag wins).

export interface AgentConfig {
  url: string
  licenseId: string
  token: string
  executor: 'rcon' | 'stdout'
  rcon: { host: string, port: number, password: string }
  stateDir: string
  modulesDir: string
  /** 'auto' | 'off' | a nats:// URL used without credentials. */
  nats: string
  onlineCommand: string
  /** How often a waiting require_online command re-checks (≤ 5 s). */
  onlineCheckMs: number
  /** How long one RCON command may wait for its reply. */
  commandTimeoutMs: number
  heartbeatMs: number
}

interface Option { env: string, flag: string, meaning: string, fallback?: string }

export const OPTIONS: Option[] = [
  { env: 'CAIRN_URL', flag: 'url', meaning: "the panel's URL, e.g. https://panel.example.com" },
  { env: 'CAIRN_LICENSE_ID', flag: 'license-id', meaning: 'the license id (a UUID)' },
  { env: 'CAIRN_TOKEN', flag: 'token', meaning: "the license's companion token (cairn_agent_...)" },
  { env: 'CAIRN_EXECUTOR', flag: 'executor', meaning: 'rcon (run commands on the game server) or stdout (print them: dry runs, demos)', fallback: 'rcon' },
  { env: 'RCON_HOST', flag: 'rcon-host', meaning: "the game server's RCON host", fallback: '127.0.0.1' },
  { env: 'RCON_PORT', flag: 'rcon-port', meaning: "the game server's RCON port (Minecraft: rcon.port)", fallback: '25575' },
  { env: 'RCON_PASSWORD', flag: 'rcon-password', meaning: 'the RCON password (Minecraft: rcon.password); required for rcon' },
  { env: 'CAIRN_STATE_DIR', flag: 'state-dir', meaning: "the agent's journal folder (keep it: it is what stops a command from running twice)", fallback: './cairn-agent' },
  { env: 'CAIRN_MODULES_DIR', flag: 'modules-dir', meaning: 'where modules are installed (Minecraft: the plugins folder)', fallback: './plugins' },
  { env: 'CAIRN_NATS', flag: 'nats', meaning: 'auto (ask Cairn for NATS credentials, else HTTP), off (HTTP only), or a nats:// URL used without credentials on a trusted network', fallback: 'auto' },
  { env: 'CAIRN_ONLINE_COMMAND', flag: 'online-command', meaning: "RCON command whose reply lists online players (names after the first ':', comma-separated)", fallback: 'list' },
  { env: 'CAIRN_ONLINE_CHECK_S', flag: 'online-check', meaning: 'seconds between online checks while a require_online command waits (at most 5)', fallback: '5' },
  { env: 'CAIRN_COMMAND_TIMEOUT_S', flag: 'command-timeout', meaning: 'seconds to wait for the reply to one RCON command; a command without a reply is never re-sent', fallback: '30' },
]

export function helpText(version: string): string {
  const rows = OPTIONS.map(o => `  ${o.env.padEnd(24)} --${o.flag.padEnd(16)} ${o.meaning}${o.fallback ? ` (default ${o.fallback})` : ''}`)
  return [
    `cairn-agent ${version}: runs Cairn purchases on your game server (Node >= 20, no install step).`,
    '',
    'usage: node cairn-agent.mjs [--flag value ...]    (every flag has an environment variable; the flag wins)',
    '',
    ...rows,
    `  ${''.padEnd(24)} --help             this text`,
    `  ${''.padEnd(24)} --version          the agent's version`,
    '',
    'Logs are JSON lines on stdout. SIGTERM finishes the command in flight and exits 0.',
    'Docs: docs/agent.md in the Cairn repository.',
  ].join('\n')
}

export class ConfigProblem extends Error {}


export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): { help: true } | { version: true } | { config: AgentConfig } {
  const options = Object.fromEntries(OPTIONS.map(o => [o.flag, { type: 'string' as const }]))
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' }, version: { type: 'boolean' } }, strict: true, allowPositionals: false })
  }
  catch (e) {
    throw new ConfigProblem((e as Error).message.split('\n')[0] ?? 'bad arguments')
  }
  if (parsed.values.help) return { help: true }
  if (parsed.values.version) return { version: true }
  const get = (flag: string): string | undefined => {
    const o = OPTIONS.find(x => x.flag === flag)!
    const v = (parsed.values as Record<string, string | boolean | undefined>)[flag]
    const raw = typeof v === 'string' ? v : env[o.env]
    return raw !== undefined && raw.trim() !== '' ? raw.trim() : o.fallback
  }
  const required = (flag: string): string => {
    const v = get(flag)
    if (!v) throw new ConfigProblem(`${OPTIONS.find(x => x.flag === flag)!.env} (--${flag}) is required`)
    return v
  }
  const url = required('url').replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(url)) throw new ConfigProblem('CAIRN_URL must be an http(s) URL')
  const licenseId = required('license-id').toLowerCase()
  if (!UUID_RE.test(licenseId)) throw new ConfigProblem('CAIRN_LICENSE_ID must be the license UUID')
  const token = required('token')
  const executor = get('executor')
  if (executor !== 'rcon' && executor !== 'stdout') throw new ConfigProblem('CAIRN_EXECUTOR must be rcon or stdout')
  const port = Number(get('rcon-port'))
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigProblem('RCON_PORT must be a port number (1-65535)')
  const password = get('rcon-password') ?? ''
  if (executor === 'rcon' && !password) throw new ConfigProblem('RCON_PASSWORD is required with the rcon executor (Minecraft: rcon.password in server.properties)')
  const nats = get('nats')!
  if (nats !== 'auto' && nats !== 'off' && !/^(nats|tls|ws|wss):\/\//.test(nats)) throw new ConfigProblem('CAIRN_NATS must be auto, off or a nats:// URL')
  const seconds = (flag: string, min: number, max: number): number => {
    const n = Number(get(flag))
    if (!Number.isFinite(n) || n < min || n > max) throw new ConfigProblem(`${OPTIONS.find(x => x.flag === flag)!.env} must be a number of seconds from ${min} to ${max}`)
    return n * 1000
  }
  return {
    config: {
      url,
      licenseId,
      token,
      executor,
      rcon: { host: get('rcon-host')!, port, password },
      stateDir: resolve(get('state-dir')!),
      modulesDir: resolve(get('modules-dir')!),
      nats,
      onlineCommand: get('online-command')!,
      onlineCheckMs: seconds('online-check', 0.1, 5),
      commandTimeoutMs: seconds('command-timeout', 1, 600),
      heartbeatMs: 60_000,
    },
  }
}
