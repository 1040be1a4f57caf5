import { and, asc, eq } from 'drizzle-orm'
import { moduleArtifacts, type ModuleArtifactRow } from '../../db/schema'
import type { Deps } from '../../platform/deps'
import { sha256Hex } from '../../platform/crypto'
import { Conflict, InvalidInput } from '../../platform/errors'

// The module registry: files the operator publishes (`npm run cairn -- module:publish`), stored
// in the database so every replica serves them. A version is immutable once published.

export const MODULE_ID_RE = /^[a-z0-9][a-z0-9-]{1,63}$/
// semver.org's grammar (no leading zeros, optional pre-release and build), at most 32 characters.
const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-z-][0-9a-z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-z-][0-9a-z-]*))*))?(?:\+([0-9a-z-]+(?:\.[0-9a-z-]+)*))?$/i
const EXT_RE = /^(?:\.[a-z0-9]{1,10}){0,2}$/
export const MODULE_MAX_BYTES = 50 * 1024 * 1024

export interface ModuleVersion {
  version: string
  sha256: string
  size: number
  filename: string
  published_at: string
}

export interface PublishedModule {
  id: string
  name: string
  description: string
  /** Newest first (semver order). */
  versions: ModuleVersion[]
}

export interface PublishInput {
  id: string
  version: string
  bytes: Uint8Array
  /** The file's extension(s), e.g. `.jar` (from the published file's name). */
  ext: string
  name?: string
  description?: string
}

export type PublishResult = Pick<ModuleVersion, 'sha256' | 'size' | 'filename'> & { module_id: string, version: string }

/** Semver precedence (pre-releases before their release); build metadata ignored. */
export function compareSemver(a: string, b: string): number {
  const [ma = '', pa] = a.split('+')[0]!.split(/-(.*)/s)
  const [mb = '', pb] = b.split('+')[0]!.split(/-(.*)/s)
  const na = ma.split('.').map(Number)
  const nb = mb.split('.').map(Number)
  for (let i = 0; i < 3; i++) if (na[i] !== nb[i]) return (na[i] ?? 0) - (nb[i] ?? 0)
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1
  const xa = pa.split('.')
  const xb = pb.split('.')
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    const [s, t] = [xa[i], xb[i]]
    if (s === undefined) return -1
    if (t === undefined) return 1
    if (s === t) continue
    const [ns, nt] = [/^\d+$/.test(s), /^\d+$/.test(t)]
    if (ns && nt) return Number(s) - Number(t)
    if (ns !== nt) return ns ? -1 : 1
    return s < t ? -1 : 1
  }
  return 0
}

export function isModuleVersion(version: string): boolean {
  return version.length <= 32 && SEMVER_RE.test(version)
}

export async function publishModule(deps: Deps, input: PublishInput): Promise<PublishResult> {
  const issues = [
    ...(MODULE_ID_RE.test(input.id) ? [] : [{ path: 'id', message: 'must match ^[a-z0-9][a-z0-9-]{1,63}$' }]),
    ...(isModuleVersion(input.version) ? [] : [{ path: 'version', message: 'must be a semantic version such as 1.2.3' }]),
    ...(EXT_RE.test(input.ext.toLowerCase()) ? [] : [{ path: 'file', message: 'the file name must end in a plain extension such as .jar' }]),
    ...(input.bytes.length > 0 && input.bytes.length <= MODULE_MAX_BYTES ? [] : [{ path: 'file', message: `must hold 1 byte to ${MODULE_MAX_BYTES / 1024 / 1024} MB` }]),
  ]
  if (issues.length) throw new InvalidInput(issues)
  const sha256 = sha256Hex(input.bytes)
  const filename = `${input.id}-${input.version}${input.ext.toLowerCase()}`
  const now = deps.clock.now()
  const [earlier] = await deps.db.select({ name: moduleArtifacts.name, description: moduleArtifacts.description }).from(moduleArtifacts)
    .where(eq(moduleArtifacts.moduleId, input.id)).orderBy(asc(moduleArtifacts.createdAt)).limit(1)
  await deps.db.insert(moduleArtifacts).values({
    moduleId: input.id,
    version: input.version,
    name: input.name ?? earlier?.name ?? input.id,
    description: input.description ?? earlier?.description ?? '',
    filename,
    sha256,
    size: input.bytes.length,
    content: Buffer.from(input.bytes),
    createdAt: now,
  }).onConflictDoNothing()
  const [stored] = await deps.db.select({ sha256: moduleArtifacts.sha256, size: moduleArtifacts.size, filename: moduleArtifacts.filename }).from(moduleArtifacts)
    .where(and(eq(moduleArtifacts.moduleId, input.id), eq(moduleArtifacts.version, input.version)))
  if (!stored || stored.sha256 !== sha256) throw new Conflict(`${input.id} ${input.version} is already published with other bytes (sha256 ${stored?.sha256 ?? '?'}); versions are immutable: publish a new version`)
  return { module_id: input.id, version: input.version, ...stored }
}

const listColumns = {
  moduleId: moduleArtifacts.moduleId,
  version: moduleArtifacts.version,
  name: moduleArtifacts.name,
  description: moduleArtifacts.description,
  filename: moduleArtifacts.filename,
  sha256: moduleArtifacts.sha256,
  size: moduleArtifacts.size,
  createdAt: moduleArtifacts.createdAt,
}

/** Every published module, versions newest first; a module's name and description are its newest version's. */
export async function publishedModules(deps: Deps, moduleId?: string): Promise<PublishedModule[]> {
  const rows = await deps.db.select(listColumns).from(moduleArtifacts)
    .where(moduleId === undefined ? undefined : eq(moduleArtifacts.moduleId, moduleId))
    .orderBy(asc(moduleArtifacts.moduleId))
  const byId = new Map<string, typeof rows>()
  for (const row of rows) byId.set(row.moduleId, [...(byId.get(row.moduleId) ?? []), row])
  return [...byId.entries()].map(([id, list]) => {
    const sorted = list.sort((a, b) => compareSemver(b.version, a.version))
    const newest = sorted[0]!
    return {
      id,
      name: newest.name,
      description: newest.description,
      versions: sorted.map(r => ({ version: r.version, sha256: r.sha256, size: r.size, filename: r.filename, published_at: r.createdAt.toISOString() })),
    }
  })
}

export async function findPublishedModule(deps: Deps, moduleId: string): Promise<PublishedModule | undefined> {
  if (!MODULE_ID_RE.test(moduleId) && moduleId.length > 64) return undefined
  return (await publishedModules(deps, moduleId))[0]
}

/** The bytes of one published version (GET /api/agent/modules/<id>/<version>). */
export async function moduleArtifact(deps: Deps, moduleId: string, version: string): Promise<ModuleArtifactRow | undefined> {
  const [row] = await deps.db.select().from(moduleArtifacts).where(and(eq(moduleArtifacts.moduleId, moduleId), eq(moduleArtifacts.version, version)))
  return row
}

export function moduleDownloadUrl(deps: { env: { publicUrl: string } }, moduleId: string, version: string): string {
  return `${deps.env.publicUrl}/api/agent/modules/${encodeURIComponent(moduleId)}/${encodeURIComponent(version)}`
}
