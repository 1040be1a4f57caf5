import type { License } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { Conflict, InvalidInput, RateLimited } from '../../platform/errors'
import { TokenBucketLimiter } from '../../platform/rate-limit'
import { accountSigner, encodeUserJwt, isUserPublicKey, type AccountSigner, type UserClaims } from '../../integrations/nats/jwt'
import { ensureLicenseConsumers } from '../../integrations/nats/jetstream'
import { AGENT_STREAM, ackSubject, agentConsumerName } from '../../integrations/nats/subjects'
import type { NatsCredentials } from '../../../shared/contracts/agent'
import { AGENT_NATS_CREDENTIALS_PER_LICENSE } from '../../../shared/contracts/limits'

// Short-lived NATS user JWTs for companion agents (API.md, "Agent NATS credentials"). The agent
// sends its own user public key; Cairn signs a JWT that lets that key touch only its license's
// two consumers, their acks, its ack subject and its own inbox. A suspended or revoked license is
// refused before this (requireAgent), so its access ends when its last JWT expires.

const limiter = new TokenBucketLimiter(AGENT_NATS_CREDENTIALS_PER_LICENSE.perSecond, AGENT_NATS_CREDENTIALS_PER_LICENSE.burst)

export function agentInboxPrefix(licenseId: string): string {
  return `_INBOX_${licenseId}`
}

/** Exactly the permission set verified on nats-server 2.9.10 (STACK-NOTES.md). */
export function agentPermissions(licenseId: string): UserClaims {
  const consumers = [agentConsumerName(licenseId, 'delivery'), agentConsumerName(licenseId, 'module_install')]
  return {
    pub: {
      allow: [
        ...consumers.flatMap(c => [`$JS.API.CONSUMER.INFO.${AGENT_STREAM}.${c}`, `$JS.API.CONSUMER.MSG.NEXT.${AGENT_STREAM}.${c}`, `$JS.ACK.${AGENT_STREAM}.${c}.>`]),
        ackSubject(licenseId),
      ],
    },
    sub: { allow: [`${agentInboxPrefix(licenseId)}.>`] },
    allowed_connection_types: ['STANDARD'],
  }
}

// The signing key is parsed once per seed (a rotation restarts the app with a new one).
let cachedSigner: { seed: string, signer: AccountSigner } | undefined
function signerFor(seed: string): AccountSigner {
  if (cachedSigner?.seed !== seed) cachedSigner = { seed, signer: accountSigner(seed) }
  return cachedSigner.signer
}

/** Mints the credentials the license's agent connects with; never returns or logs a seed. */
export async function issueAgentNatsCredentials(deps: Deps, license: Pick<License, 'id'>, publicKey: string): Promise<NatsCredentials> {
  if (!isUserPublicKey(publicKey)) {
    throw new InvalidInput([{ path: 'public_key', message: 'must be a NATS user public key (U..., with a valid checksum)' }])
  }
  const agent = deps.env.natsAgent
  if (!agent) throw new Conflict('This deployment does not issue NATS credentials to agents: use the HTTP queue (GET /api/agent/queue)')
  const wait = limiter.take(license.id)
  if (wait > 0) throw new RateLimited(wait, 'Too many credential requests for this license, try again later')

  // Best effort: a connected Cairn makes sure the consumers exist; otherwise the relay creates
  // them with the license's first message, and the agent retries.
  const link = deps.nats
  if (link?.status() === 'ok') {
    await link.connection()
      .then(nc => ensureLicenseConsumers(nc, license.id, deps.log))
      .catch((error: unknown) => deps.log.warn('agent consumers not ensured', { license_id: license.id, error: (error as Error).message }))
  }

  const issuedAt = Math.floor(deps.clock.now().getTime() / 1000)
  const expiresAt = issuedAt + agent.ttlSeconds
  const jwt = encodeUserJwt(signerFor(agent.signingSeed), {
    name: `cairn-agent-${license.id}`,
    userPublicKey: publicKey,
    account: agent.account,
    claims: agentPermissions(license.id),
    issuedAt,
    expiresAt,
  })
  const expires = new Date(expiresAt * 1000).toISOString()
  deps.log.info('agent nats credentials issued', { license_id: license.id, user_key: publicKey, expires_at: expires })
  return presentNatsCredentials(license.id, agent.servers, jwt, expires)
}

export function presentNatsCredentials(licenseId: string, servers: string[], jwt: string, expiresAt: string): NatsCredentials {
  return {
    servers,
    jwt,
    inbox_prefix: agentInboxPrefix(licenseId),
    expires_at: expiresAt,
    stream: AGENT_STREAM,
    consumers: { deliveries: agentConsumerName(licenseId, 'delivery'), modules: agentConsumerName(licenseId, 'module_install') },
    ack_subject: ackSubject(licenseId),
  }
}
