import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import type { License } from '../db/schema'
import { Unauthorized } from '../platform/errors'
import { COMPANION_TOKEN_PREFIX, findLicenseByCompanionToken } from '../domains/licenses/licenses'
import { useDeps } from './deps'

/**
 * The companion agent's license, from `Authorization: Bearer <companion_token>` looked up by its
 * SHA-256. Unknown, malformed, suspended or revoked → the same 401.
 */
export async function requireAgent(event: H3Event): Promise<License> {
  const match = /^Bearer\s+(\S+)$/i.exec(getRequestHeader(event, 'authorization') ?? '')
  const token = match?.[1]
  if (!token || !token.startsWith(COMPANION_TOKEN_PREFIX) || token.length > 200) throw new Unauthorized('A valid companion token is required')
  const license = await findLicenseByCompanionToken(await useDeps(), token)
  if (!license || license.status !== 'active') throw new Unauthorized('A valid companion token is required')
  return license
}
