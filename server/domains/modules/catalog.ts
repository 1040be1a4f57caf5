// The modules Cairn can install on a game server, shipped with the app. Each version names the
// artifact the companion agent downloads and the SHA-256 it must check before installing it.
// Publishing a module = adding a version here (newest first) and releasing the jar at its URL.

export interface ModuleVersion {
  version: string
  download_url: string
  sha256: string
}

export interface CatalogModule {
  id: string
  name: string
  description: string
  /** Newest first: `versions[0]` is what an install without a version gets. */
  versions: ModuleVersion[]
}

const BASE = 'https://downloads.cairn.gg/modules'

/** One catalog entry; `versions` are `[version, sha256]` pairs, newest first, published under the module's id. */
const mod = (id: string, name: string, description: string, versions: Array<[version: string, sha256: string]>): CatalogModule => ({
  id,
  name,
  description,
  versions: versions.map(([version, sha256]) => ({ version, download_url: `${BASE}/${id}/${version}/cairn-${id}-${version}.jar`, sha256 })),
})

export const MODULE_CATALOG: readonly CatalogModule[] = [
  mod('webstore', 'Webstore', 'Runs the commands of your webstore purchases in game, waits for offline players and reports each delivery back to Cairn.', [
    ['1.3.0', '1c64d2c6aa14a1774a7ddffd121b9a4f3a9d10031acae549dbc240e4b812ef23'],
    ['1.2.1', '56a09c6e29ee87013a20722f8f10081155408b1c716e314889f7e34e313573ad'],
    ['1.1.0', 'db5a73f364c27d7a0c5c7945c6fa80703b6ffea2fbf68c563952c920c1d64706'],
  ]),
  mod('backups', 'World Backups', 'Scheduled, incremental world backups with retention rules and one-command restore from the console.', [
    ['2.4.1', 'e74c3f9e67e493d92e117dc2aeea9ebbd79cf7586d4d00887190a2d24847dc99'],
    ['2.3.0', '8fe5a0bef08210c2e37049e8af7bbfd5d6a2430029318dbd62a56f1d1abd4344'],
  ]),
  mod('discord-bridge', 'Discord Bridge', 'Links in-game chat with a Discord channel and announces purchases, joins and server restarts.', [
    ['0.9.2', 'b99c01f88bd2654074d5896a9cbca3dea4001f91ce9f9cefbd8fc95770d597e2'],
    ['0.8.5', '1ff190208d8e1ced7e51630207a1e52c9c3e5ddba14a641991edfc6b9432b9be'],
  ]),
  mod('vote-rewards', 'Vote Rewards', 'Rewards players who vote for your server on server lists, with streak bonuses and a monthly top-voter board.', [
    ['1.0.3', '9cef8b11cda5e3035f0534a85f048ca453368a2a8fa15645648d6e3342763c89'],
  ]),
]

export function findModule(id: string): CatalogModule | undefined {
  return MODULE_CATALOG.find(m => m.id === id)
}

export function findModuleVersion(module: CatalogModule, version?: string): ModuleVersion | undefined {
  return version === undefined ? module.versions[0] : module.versions.find(x => x.version === version)
}
