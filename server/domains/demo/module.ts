import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Deps } from '../../platform/deps'
import { publishModule } from '../modules/registry'

// The demo seed's one published module: a small real file from the repository
// (server/domains/demo/files, copied beside the built server as demo-files/ by nuxt.config.ts).

const FILE = 'cairn-welcome.yml'

function demoFile(): string | undefined {
  const candidates = [
    process.argv[1] ? join(dirname(resolve(process.argv[1])), 'demo-files', FILE) : undefined,
    join(process.cwd(), 'server/domains/demo/files', FILE),
  ]
  return candidates.find((c): c is string => c !== undefined && existsSync(c))
}

export async function publishDemoModule(deps: Deps): Promise<void> {
  const file = demoFile()
  if (!file) {
    deps.log.warn('demo module file not found; no module published', { file: FILE })
    return
  }
  const published = await publishModule(deps, {
    id: 'cairn-welcome',
    version: '1.0.0',
    bytes: readFileSync(file),
    ext: '.yml',
    name: 'Welcome message (demo)',
    description: 'A small demo module: a welcome-message config file the agent installs into its modules folder.',
  })
  deps.log.info('demo module published', { module_id: published.module_id, version: published.version, sha256: published.sha256 })
}
