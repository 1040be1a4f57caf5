import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NatsSetup } from '../../scripts/cli/nats-commands'
import { runCli } from './cli'
import { freePort } from './server'

// An operator-mode nats-server of the test's own: `npm run cairn -- nats:setup` into a temporary
// folder on a free port, then `nats-server -c <config>`. Never the machine's server on 4222.

/** Debian's binary, or the first nats-server on PATH. */
export const NATS_SERVER_BIN = process.env.TEST_NATS_SERVER
  ?? ['/usr/sbin/nats-server', ...(process.env.PATH ?? '').split(':').map(dir => join(dir, 'nats-server'))].find(path => existsSync(path))
  ?? '/usr/sbin/nats-server'

export interface OperatorNats {
  url: string
  setup: NatsSetup
  /** The env lines nats:setup printed (NATS_URL, NATS_CREDS, NATS_AGENT_ACCOUNT, NATS_AGENT_SIGNING_SEED). */
  env: Record<string, string>
  stop(): Promise<void>
}

export function natsServerAvailable(): boolean {
  return existsSync(NATS_SERVER_BIN)
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export async function startOperatorNats(): Promise<OperatorNats> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-nats-'))
  const port = await freePort()
  const cli = await runCli(['nats:setup', '--dir', join(dir, 'nats'), '--port', String(port)], {})
  if (cli.code !== 0) throw new Error(`nats:setup failed (${cli.code}): ${cli.stderr}`)
  const setup = cli.json as NatsSetup
  const child: ChildProcess = spawn(NATS_SERVER_BIN, ['-c', setup.config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let output = ''
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  let exited = false
  child.once('exit', () => (exited = true))
  for (let i = 0; !(await listening(port)); i++) {
    if (exited || i > 100) {
      child.kill('SIGKILL')
      throw new Error(`nats-server did not start: ${output}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return {
    url: setup.nats_url,
    setup,
    env: setup.env,
    async stop() {
      if (!exited) {
        const done = new Promise(resolve => child.once('exit', resolve))
        child.kill('SIGTERM')
        await done
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
