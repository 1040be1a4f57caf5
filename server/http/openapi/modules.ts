import { z } from 'zod'
import { MODULE_INSTALL_STATUSES } from '../../db/schema'
import type { OperationSpec, ParameterSpec } from './registry'
import { installInputSchema } from '../../domains/modules/installs'

// /api/modules* in the OpenAPI document: the request schema is the one the route validates with;
// the response schemas describe presentInstall / listModules.

const isoTime = z.string().meta({ format: 'date-time' })
const status = z.enum(MODULE_INSTALL_STATUSES)

export const installResponseSchema = z.object({
  id: z.uuid().meta({ description: 'Also the id of the agent message and of its ack' }),
  module_id: z.string(),
  version: z.string(),
  status,
  detail: z.string().nullable().meta({ description: 'The agent\'s reason when the install failed' }),
  created_at: isoTime,
  updated_at: isoTime,
  finished_at: isoTime.nullable(),
}).meta({ title: 'ModuleInstall' })

const moduleListingSchema = z.object({
  id: z.string().meta({ example: 'webstore' }),
  name: z.string(),
  description: z.string(),
  latest_version: z.string(),
  versions: z.array(z.string()),
  installed_version: z.string().nullable(),
  install_status: status.nullable(),
  last_install: installResponseSchema.nullable(),
}).meta({ title: 'Module' })

export const licenseHeader: ParameterSpec = {
  name: 'X-License-Id',
  in: 'header',
  schema: z.uuid(),
  description: 'The license (game server) to act on; optional when the user has only one',
}

const tags = ['Modules']
const security = ['userSession' as const]
const install = z.object({ install: installResponseSchema })

export const moduleOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/api/modules',
    operationId: 'listModules',
    summary: 'The module catalog with this server\'s installed version and latest install status',
    tags,
    security,
    parameters: [licenseHeader],
    responses: { 200: { description: 'Every catalog module', schema: z.object({ modules: z.array(moduleListingSchema) }) } },
  },
  {
    method: 'post',
    path: '/api/modules/install',
    operationId: 'installModule',
    summary: 'Queue a module install for the server\'s companion agent',
    description: 'Written with its agent message in one transaction and sent over NATS (cairn.agent.<license_id>.modules.install) and the HTTP agent queue. One install of a module can be in flight per server (409); asking for the installed version answers 200 with that install.',
    tags,
    security,
    parameters: [licenseHeader],
    body: { schema: installInputSchema, examples: { latest: { module_id: 'webstore' }, pinned: { module_id: 'backups', version: '2.3.0' } } },
    responses: {
      202: { description: 'Queued', schema: install },
      200: { description: 'That version is already installed: the existing install', schema: install },
      404: { description: 'Unknown module or version (or another tenant\'s license)' },
      409: { description: 'An install of this module is in flight (`data.install` is that install), or the license is revoked' },
    },
  },
  {
    method: 'get',
    path: '/api/modules/installs/{id}',
    operationId: 'getModuleInstall',
    summary: 'One install of this server',
    tags,
    security,
    parameters: [{ name: 'id', in: 'path', schema: z.uuid() }, licenseHeader],
    responses: { 200: { description: 'The install', schema: install } },
  },
]
