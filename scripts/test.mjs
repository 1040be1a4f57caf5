#!/usr/bin/env node
// `npm test`: build the app once, run every vitest project (unit, services, components, api, agent, e2e), then print
// the totals line CI reads: `tests: N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const reportDir = join(root, 'reports')
const report = join(reportDir, 'vitest.json')
mkdirSync(reportDir, { recursive: true })
rmSync(report, { force: true })
rmSync(join(reportDir, 'totals.txt'), { force: true })

function run(cmd, args, extraEnv = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } })
  return res.status ?? 1
}

const passthrough = process.argv.slice(2)
if (process.env.CAIRN_SKIP_BUILD !== '1') {
  console.log('> building the app (nuxt build) for the api and e2e tests')
  if (run('npx', ['nuxt', 'build'], { NODE_ENV: 'production' }) !== 0) {
    const line = 'tests: 0 passed, 1 failed, 0 skipped'
    writeFileSync(join(reportDir, 'totals.txt'), `${line}\n`)
    console.log(line)
    process.exit(1)
  }
}

const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...passthrough])

let passed = 0
let failed = 1 // no report means the run itself broke
let skipped = 0
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'))
  passed = json.numPassedTests ?? 0
  // A file that failed to load has no assertions: count it as one failure.
  failed = (json.numFailedTests ?? 0) + (json.testResults ?? []).filter(f => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0)
}
const line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`
writeFileSync(join(reportDir, 'totals.txt'), `${line}\n`)
console.log(line)
process.exit(status !== 0 || failed > 0 ? 1 : 0)
