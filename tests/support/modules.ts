import type { Db } from '../../server/db'
import { publishModule } from '../../server/domains/modules/registry'
import { testDeps } from './deps'

// Modules published the way an operator does (module:publish), with small real files, for tests
// that install them. Publishing is idempotent for identical bytes, so every test file may call it.

export const TEST_MODULES = [
  { id: 'webstore', name: 'Webstore', description: 'Runs webstore purchases in game.', versions: ['1.1.0', '1.2.1', '1.3.0'] },
  { id: 'backups', name: 'World Backups', description: 'Scheduled world backups.', versions: ['2.3.0', '2.4.1'] },
  { id: 'discord-bridge', name: 'Discord Bridge', description: 'Links in-game chat with Discord.', versions: ['0.8.5', '0.9.2'] },
  { id: 'vote-rewards', name: 'Vote Rewards', description: 'Rewards players who vote for the server.', versions: ['1.0.3'] },
] as const

export function testModuleBytes(id: string, version: string): Buffer {
  return Buffer.from(`test module ${id} ${version}\n`)
}

export async function publishTestModules(db: Db): Promise<void> {
  const deps = testDeps(db)
  for (const m of TEST_MODULES) {
    for (const version of m.versions) await publishModule(deps, { id: m.id, version, bytes: testModuleBytes(m.id, version), ext: '.jar', name: m.name, description: m.description })
  }
}
