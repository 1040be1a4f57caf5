import { eq } from 'drizzle-orm'
import { licenses } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { openCompanionToken } from '../licenses/licenses'

// `npm run dev` only: the shipped agent with the stdout executor for the seeded demo license, so
// a demo purchase ends `delivered` and the owner sees the printed commands. Never in production.

export interface DevAgentLaunch {
  env: Record<string, string>
}

/** The agent's settings for the demo license, or null (production, no demo license). */
export async function devAgentLaunch(deps: Deps, stateDir: string): Promise<DevAgentLaunch | null> {
  if (deps.env.production) return null
  const [license] = await deps.db.select().from(licenses).where(eq(licenses.subdomain, 'demo'))
  if (!license || license.status !== 'active') return null
  return {
    env: {
      CAIRN_URL: deps.env.publicUrl,
      CAIRN_LICENSE_ID: license.id,
      CAIRN_TOKEN: openCompanionToken(deps, license),
      CAIRN_EXECUTOR: 'stdout',
      CAIRN_NATS: deps.env.natsUrl ? 'auto' : 'off',
      CAIRN_STATE_DIR: `${stateDir}/state`,
      CAIRN_MODULES_DIR: `${stateDir}/plugins`,
    },
  }
}
