import { installInputSchema, installParamsSchema, installResponseSchema, moduleListResponseSchema } from '../../../shared/contracts/modules'
import { ownerArea } from './common'

// /api/modules* (docs/owner-api.md).

const owner = ownerArea('Modules')
const install = (description: string) => ({ description, schema: installResponseSchema })

export const moduleOperations = [
  owner.get('/api/modules', 'listModules', 'The module catalog with this server\'s installed version and latest install status', {
    responses: { 200: { description: 'Every catalog module', schema: moduleListResponseSchema } },
  }),
  owner.post('/api/modules/install', 'installModule', 'Queue a module install for the server\'s companion agent', {
    description: 'Written with its agent message in one transaction and sent over NATS (cairn.agent.<license_id>.modules.install) and the HTTP agent queue. One install of a module can be in flight per server (409); asking for the installed version answers 200 with that install.',
    body: { schema: installInputSchema, examples: { latest: { module_id: 'webstore' }, pinned: { module_id: 'backups', version: '2.3.0' } } },
    responses: {
      202: install('Queued'),
      200: install('That version is already installed: the existing install'),
      404: { description: 'Unknown module or version (or another tenant\'s license)' },
      409: { description: 'An install of this module is in flight (`data.install` is that install), or the license is revoked' },
    },
  }),
  owner.get('/api/modules/installs/{id}', 'getModuleInstall', 'One install of this server', {
    params: installParamsSchema,
    responses: { 200: install('The install') },
  }),
]
