import { eq } from 'drizzle-orm'
import { agentHeartbeats, type AgentHeartbeatRow } from '../../db/schema'
import type { AgentHeartbeatInput, AgentStatus } from '../../../shared/contracts/agent-runtime'
import { AGENT_HEARTBEAT_SECONDS } from '../../../shared/contracts/limits'
import type { Deps } from '../../platform/deps'

// The agent says it is alive every AGENT_HEARTBEAT_SECONDS; the owner panel shows the last one.

export async function recordHeartbeat(deps: Deps, licenseId: string, input: AgentHeartbeatInput): Promise<void> {
  const now = deps.clock.now()
  await deps.db.insert(agentHeartbeats).values({ licenseId, lastSeenAt: now, version: input.version, executor: input.executor })
    .onConflictDoUpdate({ target: agentHeartbeats.licenseId, set: { lastSeenAt: now, version: input.version, executor: input.executor } })
}

export function presentAgentStatus(row: AgentHeartbeatRow | undefined, now: Date): AgentStatus {
  if (!row) return { online: false, last_seen_at: null, version: null, executor: null }
  return {
    online: now.getTime() - row.lastSeenAt.getTime() <= AGENT_HEARTBEAT_SECONDS * 2500,
    last_seen_at: row.lastSeenAt.toISOString(),
    version: row.version,
    executor: row.executor,
  }
}

export async function agentStatus(deps: Deps, licenseId: string): Promise<AgentStatus> {
  const [row] = await deps.db.select().from(agentHeartbeats).where(eq(agentHeartbeats.licenseId, licenseId))
  return presentAgentStatus(row, deps.clock.now())
}
