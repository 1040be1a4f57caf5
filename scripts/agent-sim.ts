/**
 * Reference companion agent (docs/agent-contract.md). It does what a real agent does, except
 * running anything: it prints each command it would run and acknowledges it.
 *
 *   npm run agent:sim -- --license-id <uuid> --token cairn_agent_… [--nats nats://127.0.0.1:4222] [--url http://localhost:3000]
 *
 * Transports: NATS first (the license's durable JetStream consumers), the HTTP queue as fallback
 * (and as a slow safety net while NATS works). Messages are at-least-once, so the agent
 * de-duplicates by `id`: a message seen again is not run again, only acknowledged again.
 *
 * Options: --no-nats (HTTP only), --poll <s> (HTTP poll interval without NATS, default 5),
 * --fail <module id | message id | all> (repeatable: ack those as failed), --fail-detail <text>,
 * --json (one JSON object per line), --exit-after <n> (exit 0 after n distinct messages were
 * acknowledged), --timeout <s> (exit 1 if still running then).
 */
import { parseArgs } from 'node:util'
import { connect, type Consumer, type JsMsg, type NatsConnection } from 'nats'

type Kind = 'delivery' | 'module_install'
type Transport = 'nats' | 'http'
type Message = Record<string, unknown> & { id: string }

interface Ack {
  id: string
  kind: Kind
  status: 'done' | 'failed'
  detail?: string
}

// Names from the agent contract: one stream, one durable pull consumer per license and kind.
const STREAM = 'CAIRN_AGENT'
const CONSUMERS: Record<Kind, (licenseId: string) => string> = {
  delivery: id => `agent_${id}_deliveries`,
  module_install: id => `agent_${id}_modules`,
}
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const USAGE = 'usage: npm run agent:sim -- --license-id <uuid> --token <companion token> [--nats <url>] [--url <cairn url>] [--no-nats] [--poll <s>] [--fail <module|id|all>] [--fail-detail <text>] [--json] [--exit-after <n>] [--timeout <s>]'

function parseCli() {
  try {
    return parseArgs({
      options: {
        'help': { type: 'boolean', default: false },
        'license-id': { type: 'string' },
        'token': { type: 'string' },
        'nats': { type: 'string' },
        'no-nats': { type: 'boolean', default: false },
        'url': { type: 'string' },
        'poll': { type: 'string', default: '5' },
        'fail': { type: 'string', multiple: true, default: [] },
        'fail-detail': { type: 'string', default: 'simulated failure (agent-sim --fail)' },
        'json': { type: 'boolean', default: false },
        'exit-after': { type: 'string' },
        'timeout': { type: 'string' },
      },
      strict: true,
    })
  }
  catch (error) {
    process.stderr.write(`agent-sim: ${(error as Error).message.split('\n')[0]}\n${USAGE}\n`)
    process.exit(2)
  }
}

const { values: args } = parseCli()
if (args.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}

function usage(problem: string): never {
  process.stderr.write(`agent-sim: ${problem}\n${USAGE}\n`)
  process.exit(2)
}

const licenseId = args['license-id']?.toLowerCase() ?? usage('--license-id is required')
if (!UUID_RE.test(licenseId)) usage('--license-id must be the license UUID')
const token = args.token ?? process.env.CAIRN_AGENT_TOKEN ?? usage('--token is required')
const baseUrl = (args.url ?? process.env.CAIRN_URL ?? 'http://localhost:3000').replace(/\/+$/, '')
const natsUrl = args['no-nats'] ? undefined : args.nats ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222'
const pollMs = Math.max(0.2, Number(args.poll) || 5) * 1000
const failRules = new Set(args.fail)
const exitAfter = args['exit-after'] ? Number(args['exit-after']) : undefined

function emit(event: string, fields: Record<string, unknown>, human: string): void {
  process.stdout.write(args.json ? `${JSON.stringify({ event, ...fields })}\n` : `${human}\n`)
}

/** What the agent would do, in words (a real agent runs the commands / installs the jar). */
function describe(kind: Kind, m: Message): string {
  if (kind === 'module_install') {
    return `module install ${m.id}: ${String(m.module_id)} ${String(m.version)}\n       would download ${String(m.download_url)}\n       check sha256 ${String(m.sha256)} and install it, then restart the plugin`
  }
  const player = m.player as { name?: string } | undefined
  const commands = Array.isArray(m.commands) ? m.commands as Array<{ command?: string, require_online?: boolean }> : []
  return [`delivery ${m.id} for ${player?.name ?? '?'} (transaction ${String(m.transaction_id)})`,
    ...commands.map(c => `       would run: ${c.command ?? ''}${c.require_online ? '   (when the player is online)' : ''}`)].join('\n')
}

function problemWith(kind: Kind, m: Message): string | null {
  if (kind === 'module_install') {
    if (typeof m.module_id !== 'string' || typeof m.version !== 'string') return 'malformed install message'
    if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) return 'install message without a valid sha256'
    if (typeof m.download_url !== 'string' || !/^https?:\/\//.test(m.download_url)) return 'install message without a download URL'
    return null
  }
  return Array.isArray(m.commands) ? null : 'malformed delivery message'
}

function decide(kind: Kind, m: Message): Ack {
  const problem = problemWith(kind, m)
  if (problem) return { id: m.id, kind, status: 'failed', detail: problem }
  const keys = [m.id, typeof m.module_id === 'string' ? m.module_id : '', typeof m.transaction_id === 'string' ? m.transaction_id : '', 'all']
  if (keys.some(k => k && failRules.has(k))) return { id: m.id, kind, status: 'failed', detail: args['fail-detail'] }
  return { id: m.id, kind, status: 'done' }
}

let nc: NatsConnection | undefined
const decided = new Map<string, Ack>()
const acknowledged = new Set<string>()
let stopping = false

async function ackOverNats(ack: Ack): Promise<string | null> {
  if (!nc || nc.isClosed()) return null
  try {
    const reply = await nc.request(`cairn.agent.${licenseId}.acks`, new TextEncoder().encode(JSON.stringify({ acks: [ack] })), { timeout: 5000 })
    const body = JSON.parse(new TextDecoder().decode(reply.data)) as { ok?: boolean, results?: Array<{ id: string, result: string }> }
    return body.ok ? body.results?.find(r => r.id === ack.id)?.result ?? 'unknown' : null
  }
  catch {
    return null // no responder or timeout: try HTTP
  }
}

async function ackOverHttp(ack: Ack): Promise<string | null> {
  try {
    const res = await fetch(`${baseUrl}/api/agent/acks`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ acks: [ack] }),
    })
    if (!res.ok) return null
    const body = await res.json() as { acks?: Array<{ id: string, result: string }> }
    return body.acks?.find(r => r.id === ack.id)?.result ?? 'unknown'
  }
  catch {
    return null
  }
}

/** Handles one message from either transport; true once Cairn has the ack. */
async function handle(kind: Kind, message: Message, transport: Transport): Promise<boolean> {
  let ack = decided.get(message.id)
  const duplicate = ack !== undefined
  if (!ack) {
    ack = decide(kind, message)
    decided.set(message.id, ack)
    emit('received', { transport, kind, id: message.id, duplicate: false, message }, `[${transport}] ${describe(kind, message)}`)
  }
  else {
    emit('received', { transport, kind, id: message.id, duplicate: true }, `[${transport}] ${kind} ${message.id} again: already handled, acknowledging only`)
  }
  let via: Transport = 'nats'
  let result = await ackOverNats(ack)
  if (result === null) {
    via = 'http'
    result = await ackOverHttp(ack)
  }
  if (result === null) {
    emit('ack_failed', { id: ack.id, kind }, `       ack ${ack.status} not delivered yet (Cairn unreachable); it will be sent again`)
    return false
  }
  emit('acked', { id: ack.id, kind, status: ack.status, detail: ack.detail ?? null, via, result, duplicate }, `       ack ${ack.status}${ack.detail ? ` (${ack.detail})` : ''} via ${via} → ${result}`)
  acknowledged.add(ack.id)
  if (exitAfter !== undefined && acknowledged.size >= exitAfter) void shutdown(0)
  return true
}

function parse(data: Uint8Array): Message | null {
  try {
    const m = JSON.parse(new TextDecoder().decode(data)) as unknown
    return typeof m === 'object' && m !== null && typeof (m as Message).id === 'string' ? m as Message : null
  }
  catch {
    return null
  }
}

async function consumeKind(conn: NatsConnection, kind: Kind): Promise<void> {
  const js = conn.jetstream()
  let announced = false
  while (!stopping && !conn.isClosed()) {
    let consumer: Consumer
    try {
      consumer = await js.consumers.get(STREAM, CONSUMERS[kind](licenseId))
    }
    catch {
      // Cairn creates the consumer with the first message of that kind; until then HTTP covers.
      if (!announced) emit('waiting', { kind }, `[nats] no ${kind} consumer yet; waiting (the HTTP queue covers meanwhile)`)
      announced = true
      await sleep(2000)
      continue
    }
    try {
      const messages = await consumer.consume({ max_messages: 50 })
      emit('consuming', { kind }, `[nats] consuming ${CONSUMERS[kind](licenseId)}`)
      for await (const msg of messages) {
        if (stopping) break
        await onJetStreamMessage(kind, msg)
      }
    }
    catch (error) {
      emit('error', { transport: 'nats', kind, error: (error as Error).message }, `[nats] ${kind} consumer stopped: ${(error as Error).message}; retrying`)
      await sleep(2000)
    }
  }
}

async function onJetStreamMessage(kind: Kind, msg: JsMsg): Promise<void> {
  const message = parse(msg.data)
  if (!message) {
    msg.term() // never valid: drop it rather than loop on it
    return
  }
  // JetStream's ack only after Cairn has ours: otherwise the message comes back after ack_wait.
  if (await handle(kind, message, 'nats')) msg.ack()
  else msg.nak(5000)
}

async function pollHttp(): Promise<void> {
  let warned = false
  const natsUp = () => nc !== undefined && !nc.isClosed()
  // With NATS working the HTTP queue is only a slow safety net (and it starts late, so the
  // durable consumers get the first word).
  if (natsUp()) await sleep(SAFETY_NET_MS)
  while (!stopping) {
    try {
      const res = await fetch(`${baseUrl}/api/agent/queue`, { headers: { authorization: `Bearer ${token}` } })
      if (res.status === 401) throw new Error('token refused (unknown token, or the license is suspended or revoked)')
      if (!res.ok) throw new Error(`queue answered ${res.status}`)
      const body = await res.json() as { deliveries?: Message[], module_installs?: Message[] }
      for (const m of body.deliveries ?? []) await handle('delivery', m, 'http')
      for (const m of body.module_installs ?? []) await handle('module_install', m, 'http')
      warned = false
    }
    catch (error) {
      if (!warned) emit('error', { transport: 'http', error: (error as Error).message }, `[http] ${(error as Error).message}`)
      warned = true
    }
    await sleep(natsUp() ? SAFETY_NET_MS : pollMs)
  }
}

const SAFETY_NET_MS = 60_000
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function shutdown(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  await nc?.drain().catch(() => {})
  process.exit(code)
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))
  if (args.timeout) setTimeout(() => {
    emit('timeout', { acknowledged: acknowledged.size }, `timed out after ${args.timeout} s`)
    void shutdown(1)
  }, Number(args.timeout) * 1000).unref()

  if (natsUrl) {
    try {
      nc = await connect({ servers: natsUrl, name: `cairn-agent-sim-${licenseId}`, timeout: 3000, maxReconnectAttempts: -1 })
    }
    catch (error) {
      emit('error', { transport: 'nats', error: (error as Error).message }, `[nats] cannot connect to ${natsUrl}: ${(error as Error).message}; using the HTTP queue`)
    }
  }
  emit('ready', { license_id: licenseId, nats: nc !== undefined, url: baseUrl }, `agent-sim for ${licenseId}: ${nc ? `NATS ${natsUrl} + ` : ''}HTTP ${baseUrl}`)
  const loops = [pollHttp()]
  if (nc) loops.push(consumeKind(nc, 'delivery'), consumeKind(nc, 'module_install'))
  await Promise.all(loops)
}

void main().catch((error: unknown) => {
  process.stderr.write(`agent-sim: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
