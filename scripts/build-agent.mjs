#!/usr/bin/env node
// Bundles agent/main.ts (with rcon-client, nats and nkeys) into one ESM file that runs on
// Node >= 20 with no install step: public/downloads/cairn-agent.mjs, which the app serves at
// /downloads/cairn-agent.mjs. Run by `npm run agent:build` and by every `nuxt build`/`nuxt dev`.
import { mkdirSync, readFileSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const AGENT_BUNDLE = join(root, 'public/downloads/cairn-agent.mjs')

export async function buildAgent(outfile = AGENT_BUNDLE) {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
  mkdirSync(dirname(outfile), { recursive: true })
  // Several builds of one checkout may run at once: write aside, then rename.
  const tmp = `${outfile}.${process.pid}.tmp`
  await build({
    entryPoints: [join(root, 'agent/main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: false,
    legalComments: 'eof',
    logLevel: 'warning',
    define: { __AGENT_VERSION__: JSON.stringify(version) },
    // CommonJS dependencies inside an ESM bundle need a real require.
    banner: { js: `#!/usr/bin/env node\n// Cairn companion agent ${version}. Run: node cairn-agent.mjs --help\nimport { createRequire as __cairnRequire } from 'node:module'; const require = __cairnRequire(import.meta.url);` },
  })
  renameSync(tmp, outfile)
  return outfile
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildAgent(process.argv[2])
  process.stdout.write(`${out}\n`)
}
