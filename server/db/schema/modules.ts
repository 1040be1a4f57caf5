import { sql } from 'drizzle-orm'
import { customType, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { timestamps, tstz } from './columns'
import { licenses } from './core'
import { MODULE_INSTALL_STATUSES } from '../../../shared/contracts/enums'

// Module installs requested for a license's game server. The agent-bound message lives in the
// outbox (`deliveries`, kind `module_install`) under the same id as the install row.

export const moduleInstalls = pgTable('module_installs', {
  /** Also the outbox row's id and the message `id` the agent acks: one id end to end. */
  id: uuid('id').primaryKey().defaultRandom(),
  licenseId: uuid('license_id').notNull().references(() => licenses.id, { onDelete: 'cascade' }),
  /** A published module's id (module_artifacts). */
  moduleId: text('module_id').notNull(),
  version: text('version').notNull(),
  status: text('status', { enum: MODULE_INSTALL_STATUSES }).notNull().default('queued'),
  /** The agent's detail from its ack (why it failed), control characters stripped. */
  detail: text('detail'),
  /** When the agent acked it (installed or failed). */
  finishedAt: tstz('finished_at'),
  ...timestamps,
}, t => [
  // One in-flight install of a module per license: a second request while one runs is a 409.
  uniqueIndex('module_installs_one_in_flight').on(t.licenseId, t.moduleId).where(sql`${t.status} in ('queued', 'sent')`),
  // The catalog view: each module's latest install and latest successful install per license.
  index('module_installs_license_module_idx').on(t.licenseId, t.moduleId, t.createdAt.desc()),
])

export type ModuleInstallRow = typeof moduleInstalls.$inferSelect

/** Bytes: postgres.js hands back a Buffer, PGlite a Uint8Array; both become a Buffer. */
const bytea = customType<{ data: Buffer, driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: value => Buffer.from(value),
})

/**
 * Published module versions (`npm run cairn -- module:publish`), bytes included, so every replica
 * serves them (GET /api/agent/modules/<id>/<version>). A version is immutable once published.
 */
export const moduleArtifacts = pgTable('module_artifacts', {
  moduleId: text('module_id').notNull(),
  version: text('version').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** `<id>-<version><ext>`: what the agent writes into its modules folder. */
  filename: text('filename').notNull(),
  sha256: text('sha256').notNull(),
  size: integer('size').notNull(),
  content: bytea('content').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, t => [
  primaryKey({ columns: [t.moduleId, t.version] }),
])

export type ModuleArtifactRow = typeof moduleArtifacts.$inferSelect
