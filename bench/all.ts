// Every measure of issue 14's goals table in one run, each beside its goal with PASS/FAIL.
//   CAIRN_OUTPUT_DIR=.output-x NODE_ENV=production npx nuxt build   # once
//   CAIRN_OUTPUT_DIR=.output-x npm run bench [-- --quick] [-- --only storefront,hosts,capture,embedded]
import { parseArgs } from 'node:util'
import { measureCaptureLatency } from './capture-latency'
import { measureEmbedded } from './embedded'
import { measureHosts } from './hosts'
import { printRows, type Row } from './report'
import { measureStorefront } from './storefront'

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } })
const quick = values.quick
const only = new Set((values.only ?? 'storefront,hosts,capture,embedded').split(','))

const sections: Array<[string, () => Promise<Row[]>]> = [
  ['embedded', async () => [await measureEmbedded(quick ? 2 : 5)]],
  ['storefront', () => measureStorefront({ seconds: quick ? 3 : 10, connections: 50 })],
  ['capture', async () => [await measureCaptureLatency(quick ? 200 : 1000)]],
  ['hosts', () => measureHosts(quick ? 10_000 : 100_000)],
]

const rows: Row[] = []
for (const [name, run] of sections) {
  if (!only.has(name)) continue
  console.log(`${name}...`)
  rows.push(...await run())
}
console.log('')
printRows(rows)
process.exit(rows.every(r => r.pass) ? 0 : 1)
