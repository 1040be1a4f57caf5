import { asc, eq, sql } from 'drizzle-orm'
import { hosts, type Host } from '../../db/schema'
import type { HostStatus } from '../../../shared/contracts/enums'
import { createHostSchema, rateCentsSchema, type CreateHostInput, type HostSummary } from '../../../shared/contracts/host'
import { randomToken, sha256Hex } from '../../platform/crypto'
import type { Deps } from '../../platform/deps'
import { NotFound } from '../../platform/errors'

export const HOST_KEY_PREFIX = 'cairn_host_'
/** `cairn_host_` + 32 base64url characters (24 random bytes = 192 bits). */
export const HOST_KEY_RE = /^cairn_host_[A-Za-z0-9_-]{22,128}$/
/** How much of a key `host:list` shows: the fixed prefix plus 6 random characters (36 bits, not enough to guess). */
const DISPLAY_PREFIX_LENGTH = HOST_KEY_PREFIX.length + 6

export function generateHostKey(): { key: string, hash: string, prefix: string } {
  const key = `${HOST_KEY_PREFIX}${randomToken(24)}`
  return { key, hash: sha256Hex(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) }
}

export interface IssuedHost {
  host: Host
  /** The plaintext key: returned once, never stored. */
  apiKey: string
}

export async function createHost(deps: Deps, input: CreateHostInput): Promise<IssuedHost> {
  const data = createHostSchema.parse(input)
  const { key, hash, prefix } = generateHostKey()
  const now = deps.clock.now()
  const [host] = await deps.db.insert(hosts).values({
    name: data.name,
    apiKeyHash: hash,
    keyPrefix: prefix,
    rateCents: data.rate_cents,
    currency: data.currency,
    createdAt: now,
    updatedAt: now,
  }).returning()
  if (!host) throw new Error('host insert returned nothing')
  return { host, apiKey: key }
}

/** Replaces the host's key: the old one stops working with the next request. */
export async function rotateHostKey(deps: Deps, hostId: string): Promise<IssuedHost> {
  const { key, hash, prefix } = generateHostKey()
  const [host] = await deps.db.update(hosts)
    .set({ apiKeyHash: hash, keyPrefix: prefix, updatedAt: deps.clock.now() })
    .where(eq(hosts.id, hostId))
    .returning()
  if (!host) throw new NotFound('Host')
  return { host, apiKey: key }
}

/** Changes the rate for open and future months; frozen months keep the rate they were frozen with. */
export async function setHostRate(deps: Deps, hostId: string, rateCents: number): Promise<Host> {
  const rate = rateCentsSchema.parse(rateCents)
  const [host] = await deps.db.update(hosts).set({ rateCents: rate, updatedAt: deps.clock.now() }).where(eq(hosts.id, hostId)).returning()
  if (!host) throw new NotFound('Host')
  return host
}

export async function setHostStatus(deps: Deps, hostId: string, status: HostStatus): Promise<Host> {
  const [host] = await deps.db.update(hosts).set({ status, updatedAt: deps.clock.now() }).where(eq(hosts.id, hostId)).returning()
  if (!host) throw new NotFound('Host')
  return host
}

export async function findHostById(deps: Deps, hostId: string): Promise<Host | undefined> {
  const [host] = await deps.db.select().from(hosts).where(eq(hosts.id, hostId))
  return host
}

export async function findHostByKeyHash(deps: Deps, hash: string): Promise<Host | undefined> {
  const [host] = await deps.db.select().from(hosts).where(eq(hosts.apiKeyHash, hash))
  return host
}

export async function listHosts(deps: Deps): Promise<Host[]> {
  return deps.db.select().from(hosts).orderBy(asc(hosts.createdAt), asc(hosts.id))
}

/** Only moves forward, so a slow write cannot set an older time over a newer one. */
export async function touchHostLastUsed(deps: Deps, hostId: string, at: Date): Promise<void> {
  await deps.db.update(hosts)
    .set({ lastUsedAt: sql`greatest(coalesce(${hosts.lastUsedAt}, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)` })
    .where(eq(hosts.id, hostId))
}

/** The operator's view of a host (`host:list`): never the key, only its display prefix. */
export function presentHostSummary(host: Host): HostSummary {
  return {
    host_id: host.id,
    name: host.name,
    status: host.status,
    rate_cents: host.rateCents,
    currency: host.currency,
    key_prefix: host.keyPrefix,
    last_used_at: host.lastUsedAt?.toISOString() ?? null,
    created_at: host.createdAt.toISOString(),
  }
}

export const DEMO_HOST_NAME = 'Demo Hosting'

/**
 * A first start with demo data seeds a demo host too. Outside production its key can be shown only
 * now, so it goes to the start-up log once (a demo credential on a local database). In production
 * (`SEED_DEMO=true` with `NODE_ENV=production`) no key reaches a log: the operator mints one with
 * `host:rotate-key`.
 */
export async function seedDemoHost(deps: Deps): Promise<Host> {
  const { host, apiKey } = await createHost(deps, { name: DEMO_HOST_NAME })
  if (deps.env.production) deps.log.info('demo host created: its API key is not logged in production; `npm run cairn -- host:rotate-key --host <id>` prints a new one', { demo_host_id: host.id })
  else deps.log.info('demo host created: call the host API with this key (shown once)', { demo_host_id: host.id, demo_host_api_key: apiKey })
  return host
}
