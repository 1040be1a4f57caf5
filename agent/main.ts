import { ConfigProblem, helpText, parseConfig, type AgentConfig } from './config'
import { RconExecutor } from './executors/rcon'
import { StdoutExecutor } from './executors/stdout'
import type { Executor } from './executors/types'
import { startHeartbeat } from './heartbeat'
import { Journal } from './journal'
import { errorMessage, error as logError, info, warn } from './log'
import { Runner } from './runner'
import { ackOverHttp, HttpTransport } from './transports/http'
import { NatsTransport } from './transports/nats'

// The Cairn companion agent: takes purchases from Cairn (NATS or HTTP long-poll), runs their
// commands on the game server exactly once (journal), installs modules and acks everything.

declare const __AGENT_VERSION__: string | undefined
const VERSION = typeof __AGENT_VERSION__ === 'string' ? __AGENT_VERSION__ : '0.0.0-dev'

function executorFor(config: AgentConfig): Executor {
  if (config.executor === 'stdout') return new StdoutExecutor()
  return new RconExecutor({ ...config.rcon, timeoutMs: config.commandTimeoutMs, onlineCommand: config.onlineCommand })
}

async function main(): Promise<void> {
  const major = Number(process.versions.node.split('.')[0])
  if (major < 20) {
    process.stderr.write(`cairn-agent needs Node 20 or newer (this is ${process.versions.node})\n`)
    process.exit(2)
  }
  let parsed
  try {
    parsed = parseConfig(process.argv.slice(2), process.env)
  }
  catch (e) {
    if (e instanceof ConfigProblem) {
      process.stderr.write(`cairn-agent: ${e.message}\nRun with --help for every setting.\n`)
      process.exit(2)
    }
    throw e
  }
  if ('help' in parsed) {
    process.stdout.write(`${helpText(VERSION)}\n`)
    return
  }
  if ('version' in parsed) {
    process.stdout.write(`${VERSION}\n`)
    return
  }
  const config = parsed.config
  const journal = new Journal(config.stateDir)
  const executor = executorFor(config)
  const runner = new Runner(config, journal, executor)
  info('agent_started', { version: VERSION, license_id: config.licenseId, url: config.url, executor: executor.name, state_dir: config.stateDir, modules_dir: config.modulesDir })

  let nats: NatsTransport | undefined
  let natsReason = ''
  try {
    const setup = await NatsTransport.setup(config, runner)
    if (setup.kind === 'use') nats = setup.transport
    else natsReason = setup.reason
  }
  catch (e) {
    natsReason = `NATS unavailable: ${errorMessage(e)}`
  }
  if (!nats) info('transport_nats_off', { reason: natsReason, using: 'http long-poll' })
  runner.senders = nats ? [acks => nats.sendAcks(acks), acks => ackOverHttp(config, acks)] : [acks => ackOverHttp(config, acks)]
  runner.start()
  // With NATS the HTTP queue is a slow safety net (messages older than the stream, a NATS outage).
  const http = new HttpTransport(config, runner, nats ? { longPoll: false, intervalMs: 60_000 } : { longPoll: true, intervalMs: 0 })
  if (executor.name === 'rcon') {
    // Log the RCON state (connected, or the reason it is not) right away, not at the first purchase.
    void executor.ready().catch(() => {})
  }
  nats?.start()
  http.start()
  const stopHeartbeat = startHeartbeat(config, VERSION, executor.name)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    info('agent_stopping', { signal })
    stopHeartbeat()
    await runner.stop()
    await Promise.allSettled([http.stop(), nats?.stop(), executor.close()])
    journal.close()
    info('agent_stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

process.on('unhandledRejection', (e) => {
  warn('unhandled_rejection', { error: errorMessage(e) })
})

main().catch((e: unknown) => {
  logError('agent_crashed', { error: errorMessage(e) })
  process.exit(1)
})
