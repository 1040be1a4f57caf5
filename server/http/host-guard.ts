import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import type { Host } from '../db/schema'
import { HostGate } from '../domains/hosts/api-keys'
import { useDeps } from './deps'

// One gate per process: its per-host token buckets (HOST_API_PER_HOST) and last-used
// timestamps live in memory, like the login throttle.
const gate = new HostGate()

/**
 * Host API guard: `Authorization: Bearer cairn_host_...` → the host. 401 for a missing,
 * malformed, unknown or rotated-out key; 403 for a suspended host; 429 over the rate limit.
 */
export async function requireHost(event: H3Event): Promise<Host> {
  return gate.authenticate(await useDeps(), getRequestHeader(event, 'authorization'))
}
