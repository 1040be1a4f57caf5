import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import type { Host } from '../db/schema'
import { HostGate } from '../domains/hosts/api-keys'
import type { HostDeps } from '../domains/hosts/provisioning'
import { useAppContext } from './app-context'

// One gate per process: its token buckets (20 req/s, burst 100 per host) and last-used
// timestamps live in memory, like the login throttle.
let gate: HostGate | undefined

/**
 * Host API guard: `Authorization: Bearer cairn_host_...` → the host. 401 for a missing,
 * malformed, unknown or rotated-out key; 403 for a suspended host; 429 over the rate limit.
 */
export async function requireHost(event: H3Event): Promise<Host> {
  const ctx = await useAppContext()
  gate ??= new HostGate(ctx.clock)
  return gate.authenticate(ctx.db, getRequestHeader(event, 'authorization'))
}

/** What the host services need from the app context. */
export async function useHostDeps(): Promise<HostDeps> {
  const ctx = await useAppContext()
  return { db: ctx.db, env: ctx.env, sealKey: ctx.keys.seal, clock: ctx.clock }
}
