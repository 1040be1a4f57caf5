import { pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { tstz } from './columns'
import { licenses } from './core'

/** The companion agent's last heartbeat per license (POST /api/agent/heartbeat): "agent online / last seen / version". */
export const agentHeartbeats = pgTable('agent_heartbeats', {
  licenseId: uuid('license_id').primaryKey().references(() => licenses.id, { onDelete: 'cascade' }),
  lastSeenAt: tstz('last_seen_at').notNull(),
  version: text('version').notNull(),
  /** `rcon` or `stdout`, as the agent reported it. */
  executor: text('executor').notNull(),
})

export type AgentHeartbeatRow = typeof agentHeartbeats.$inferSelect
