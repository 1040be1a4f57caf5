import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import { eq } from 'drizzle-orm'
import { licenses, type License } from '../db/schema'
import { sha256Hex } from '../services/crypto'
import { Unauthorized } from '../services/errors'
import { COMPANION_TOKEN_PREFIX } from '../services/licenses'
import { useAppContext } from './app-context'

/**
 * The companion agent's license, from `Authorization: Bearer <companion_token>` looked up by its
 * SHA-256. Unknown, malformed, suspended or revoked → the same 401.
 */
export async function requireAgent(event: H3Event): Promise<License> {
  const match = /^Bearer\s+(\S+)$/i.exec(getRequestHeader(event, 'authorization') ?? '')
  const token = match?.[1]
  if (!token || !token.startsWith(COMPANION_TOKEN_PREFIX) || token.length > 200) throw new Unauthorized('A valid companion token is required')
  const { db } = await useAppContext()
  const [license] = await db.select().from(licenses).where(eq(licenses.companionTokenHash, sha256Hex(token)))
  if (!license || license.status !== 'active') throw new Unauthorized('A valid companion token is required')
  return license
}
