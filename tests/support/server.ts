import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { TEST_APP_SECRET } from './keys'

export const ROOT = join(import.meta.dirname, '../..')
export const OUTPUT_DIR = join(ROOT, process.env.CAIRN_OUTPUT_DIR ?? '.output')

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The test server's environment; a key set to undefined in `env` is removed. */
export function serverEnv(port: number, url: string, env: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    APP_SECRET: TEST_APP_SECRET,
    TRUST_PROXY: 'loopback',
    ...env,
  }
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined))
}

/** Runs the built server expecting it to refuse to start; resolves with its exit code and output. */
export async function runBuiltServerToExit(env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<{ code: number | null, output: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, [join(OUTPUT_DIR, 'server/index.mjs')], { cwd: ROOT, env: serverEnv(port, `http://127.0.0.1:${port}`, env), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  clearTimeout(timer)
  return { code, output }
}

export interface RunningServer {
  url: string
  port: number
  logFile: string
  process: ChildProcess
  stop(): Promise<void>
}

/**
 * Spawns the built server (`.output/server/index.mjs`, built once per test run by scripts/test.mjs)
 * and waits until /api/health answers 200.
 */
export async function startBuiltServer(name: string, env: Record<string, string | undefined>): Promise<RunningServer> {
  const entry = join(OUTPUT_DIR, 'server/index.mjs')
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm test builds it)`)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const logDir = join(ROOT, 'reports/logs')
  mkdirSync(logDir, { recursive: true })
  const logFile = join(logDir, `${name}.log`)
  const log = createWriteStream(logFile)
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: serverEnv(port, url, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  let exited: number | null = null
  child.once('exit', (code) => {
    exited = code ?? -1
  })
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited !== null) throw new Error(`${name} server exited with ${exited} during start-up; see ${logFile}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.status === 200) break
    }
    catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${name} server did not become healthy; see ${logFile}`)
    }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  return {
    url,
    port,
    logFile,
    process: child,
    async stop() {
      if (exited !== null) return
      const done = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await done
      clearTimeout(timer)
      log.end()
    },
  }
}

/** Whether a NATS server answers on `url` (a plain TCP connect suffices for the test harness). */
export async function natsReachable(url = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222'): Promise<string | undefined> {
  const { hostname, port } = new URL(url)
  const { connect } = await import('node:net')
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 4222) })
    socket.setTimeout(2000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(url)
    })
    socket.once('error', () => resolve(undefined))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(undefined)
    })
  })
}
