// The embedded default (PGlite, no DATABASE_URL): the built server on a fresh DATA_DIR, timed
// from spawn to the first 200 from /api/health, then its RSS after a few idle seconds.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, OUTPUT_DIR, ROOT, serverEnv } from '../tests/support/server'
import { rssMb, type Row } from './report'

export async function measureEmbedded(idleSeconds: number): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-embedded-'))
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
  try {
    let healthyMs = NaN
    while (Number.isNaN(healthyMs)) {
      if (child.exitCode !== null) throw new Error(`embedded server exited with ${child.exitCode}: ${stderr.slice(-1000)}`)
      if (performance.now() - t0 > 60_000) throw new Error('embedded server not healthy after 60 s')
      const status = await fetch(`${url}/api/health`).then(r => r.status, () => 0)
      if (status === 200) healthyMs = performance.now() - t0
      else await new Promise(resolve => setTimeout(resolve, 10))
    }
    await new Promise(resolve => setTimeout(resolve, idleSeconds * 1000))
    const rss = rssMb(child.pid!)
    return {
      measure: 'embedded default (PGlite): cold start to healthy / idle RSS',
      figure: `${(healthyMs / 1000).toFixed(2)} s / ${rss.toFixed(0)} MB`,
      goal: '≤ 2 s / ≤ 250 MB',
      pass: healthyMs <= 2000 && rss <= 250,
    }
  }
  finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
}
