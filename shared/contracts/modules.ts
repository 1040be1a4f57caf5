import { z } from 'zod'
import { MODULE_INSTALL_STATUSES } from './enums'
import { isoTime, timestamps, typeError } from './fields'
import { MODULE_ID_MAX_LENGTH, MODULE_VERSION_MAX_LENGTH } from './limits'

// /api/modules* (API.md), shared by the server presenters and the panel.

/** A published version is semantic (`1.2.0`, `2.0.0-rc.1`): anything else is a malformed version, not an unknown one. */
const SEMVER = /^(?:0|[1-9]\d{0,8})\.(?:0|[1-9]\d{0,8})\.(?:0|[1-9]\d{0,8})(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/

export const installInputSchema = z.object({
  module_id: z.string(typeError('a string')).min(1, 'is required').max(MODULE_ID_MAX_LENGTH, `must be at most ${MODULE_ID_MAX_LENGTH} characters`)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a catalog module id such as "webstore"'),
  version: z.string(typeError('a string')).min(1, 'must not be empty').max(MODULE_VERSION_MAX_LENGTH, `must be at most ${MODULE_VERSION_MAX_LENGTH} characters`)
    .regex(SEMVER, 'must be a version such as "1.2.0"').optional(),
})
export type InstallInput = z.output<typeof installInputSchema>

export const installParamsSchema = z.object({ id: z.uuid({ message: 'must be a UUID' }) })

/** Which module and which of its versions: what an install asks for and what the agent is sent. */
export const moduleVersionFields = { module_id: z.string(), version: z.string() }

export const moduleInstallSchema = z.strictObject({
  id: z.uuid().meta({ description: 'Also the id of the agent message and of its ack' }),
  ...moduleVersionFields,
  status: z.enum(MODULE_INSTALL_STATUSES),
  detail: z.string().nullable().meta({ description: 'The agent\'s reason when the install failed (or its note when it succeeded)' }),
  ...timestamps,
  finished_at: isoTime.nullable(),
}).meta({ title: 'ModuleInstall' })
export type ModuleInstall = z.output<typeof moduleInstallSchema>

/** One catalog entry with this server's state (GET /api/modules). */
export const moduleListingSchema = z.strictObject({
  id: z.string().meta({ example: 'webstore' }),
  name: z.string(),
  description: z.string(),
  latest_version: z.string(),
  versions: z.array(z.string()).meta({ description: 'Every published version, newest first' }),
  installed_version: z.string().nullable().meta({ description: 'The version the agent last reported installed, or null' }),
  install_status: z.enum(MODULE_INSTALL_STATUSES).nullable().meta({ description: 'The status of the latest install request, or null when none was made' }),
  last_install: moduleInstallSchema.nullable().meta({ description: 'The latest install request itself (to follow it live), or null' }),
}).meta({ title: 'Module' })
export type ModuleListing = z.output<typeof moduleListingSchema>

export const moduleListResponseSchema = z.strictObject({ modules: z.array(moduleListingSchema) })
export const installResponseSchema = z.strictObject({ install: moduleInstallSchema })
