import { agentHeartbeatInputSchema, agentStatusResponseSchema } from '../../../shared/contracts/agent-runtime'
import { AGENT_HEARTBEAT_SECONDS } from '../../../shared/contracts/limits'
import { moduleArtifactBytesSchema, moduleArtifactParamsSchema } from '../../../shared/contracts/modules-registry'
import { ownerArea } from './common'
import { apiArea } from './registry'

// The shipped agent's heartbeat, and what the owner sees of it (docs/agent.md).

const agent = apiArea({ tags: ['Companion agent'], security: 'companionToken' })
const owner = ownerArea('Companion agent')

export const agentRuntimeOperations = [
  agent.post('/api/agent/heartbeat', 'agentHeartbeat', 'The agent is alive: its version and executor', {
    description: `The shipped agent calls this at start and every ${AGENT_HEARTBEAT_SECONDS} s. Stores the time, version and executor on the license for the owner panel.`,
    body: { schema: agentHeartbeatInputSchema, examples: { rcon: { version: '0.1.0', executor: 'rcon' } } },
    responses: { 204: { description: 'Recorded' }, 401: { description: 'Missing, unknown or malformed companion token, or the license is suspended or revoked' } },
  }),
  agent.get('/api/agent/modules/{id}/{version}', 'agentModuleDownload', 'A published module\'s bytes (the install message\'s download_url)', {
    description: 'Any license\'s companion token works (modules are not secret); without one → 401. Versions are immutable: verify the bytes against the install message\'s `sha256` (also sent as `X-Content-SHA256`).',
    params: moduleArtifactParamsSchema,
    responses: {
      200: { description: 'The file, `application/octet-stream`', content: { 'application/octet-stream': { schema: moduleArtifactBytesSchema } } },
      400: { description: 'The id or version is malformed (`data.issues` names it)' },
      401: { description: 'Missing, unknown or malformed companion token, or the license is suspended or revoked' },
      404: { description: 'No such published version' },
    },
  }),
  owner.get('/api/license/agent', 'licenseAgentStatus', 'Is this license\'s companion agent online, when was it last seen, which version', {
    responses: { 200: { description: `\`online\` is true within ${AGENT_HEARTBEAT_SECONDS * 2.5} s of a heartbeat`, schema: agentStatusResponseSchema } },
  }),
]
