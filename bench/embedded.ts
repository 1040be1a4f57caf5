// The embedded default (PGlite, no DATABASE_URL): the built server on a fresh DATA_DIR, timed
// from spawn to the first 200 from /api/health, then its RSS after a few idle seconds; then a
// second start on the same (now existing) folder, timed the same way and shown beside them.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, OUTPUT_DIR, ROOT, serverEnv } from '../tests/support/server'
import { rssMb, type Row } from './report'

interface Started {
  child: ChildProcess
  healthyMs: number
  stop(): Promise<void>
}

async function startEmbedded(dataDir: string): Promise<Started> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn(process.execPath, [join(OUTPUT_DIR, 'server/index.mjs')], {
    cwd: ROOT,
    env: serverEnv(port, url, { DATA_DIR: dataDir }),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  try {
    while (true) {
      if (child.exitCode !== null) throw new Error(`embedded server exited with ${child.exitCode}: ${stderr.slice(-1000)}`)
      if (performance.now() - t0 > 60_000) throw new Error('embedded server not healthy after 60 s')
      const status = await fetch(`${url}/api/health`).then(r => r.status, () => 0)
      if (status === 200) return { child, healthyMs: performance.now() - t0, stop }
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  }
  catch (error) {
    await stop()
    throw error
  }
}

export async function measureEmbedded(idleSeconds: number): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-embedded-'))
  try {
    const first = await startEmbedded(dataDir)
    let rss: number
    try {
      await new Promise(resolve => setTimeout(resolve, idleSeconds * 1000))
      rss = rssMb(first.child.pid!)
    }
    finally {
      await first.stop()
    }
    const second = await startEmbedded(dataDir)
    await second.stop()
    return {
      measure: 'embedded default (PGlite): cold start to healthy / idle RSS',
      figure: `${(first.healthyMs / 1000).toFixed(2)} s / ${rss.toFixed(0)} MB (second start ${(second.healthyMs / 1000).toFixed(2)} s)`,
      goal: '≤ 2 s / ≤ 250 MB',
      pass: first.healthyMs <= 2000 && rss <= 250,
    }
  }
  finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
