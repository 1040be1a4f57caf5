import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db'
import { deliveries, moduleInstalls, type ModuleInstallRow } from '../../db/schema'
import type { ModuleInstallMessage } from '../../../shared/contracts/agent'
import type { OutboxStatus } from '../../../shared/contracts/enums'
import type { InstallInput, ModuleInstall, ModuleListing } from '../../../shared/contracts/modules'
import { enqueueAgentMessage } from '../agent/outbox'
import { notifyOutbox } from '../agent/signal'
import type { Deps } from '../../platform/deps'
import { Conflict, NotFound } from '../../platform/errors'
import { findPublishedModule, moduleDownloadUrl, publishedModules, type ModuleVersion, type PublishedModule } from './registry'

// Module installs: a row here and its agent message in the outbox, written in one transaction
// and sent by the same relay (and HTTP queue) as deliveries. The agent's ack closes both
// (see ./acks.ts). Every query names the license.

/** The agent's install message: where to download the published bytes, their real SHA-256 and the file name to install as. */
export function buildInstallMessage(deps: { env: { publicUrl: string } }, id: string, module: Pick<PublishedModule, 'id'>, version: ModuleVersion): ModuleInstallMessage {
  return { id, module_id: module.id, version: version.version, download_url: moduleDownloadUrl(deps, module.id, version.version), sha256: version.sha256, filename: version.filename }
}

const IN_FLIGHT = ['queued', 'sent'] as const

/** `sent` is read from the outbox: the row is `queued` until acked, its message left once published. */
export function presentInstall(row: ModuleInstallRow, outboxStatus?: OutboxStatus | null): ModuleInstall {
  return {
    id: row.id,
    module_id: row.moduleId,
    version: row.version,
    status: row.status === 'queued' && outboxStatus === 'sent' ? 'sent' : row.status,
    detail: row.detail,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
  }
}

const withOutbox = { install: moduleInstalls, outboxStatus: deliveries.status }
const outboxJoin = and(eq(deliveries.id, moduleInstalls.id), eq(deliveries.kind, 'module_install'))

async function inFlightInstall(db: Db, licenseId: string, moduleId: string): Promise<ModuleInstall | undefined> {
  const [found] = await db.select(withOutbox).from(moduleInstalls).leftJoin(deliveries, outboxJoin)
    .where(and(eq(moduleInstalls.licenseId, licenseId), eq(moduleInstalls.moduleId, moduleId), inArray(moduleInstalls.status, IN_FLIGHT)))
  return found ? presentInstall(found.install, found.outboxStatus) : undefined
}

/**
 * Writes the install row and its outbox message (same id) inside the caller's transaction. Null
 * when an install of that module is already in flight for the license (the partial unique index).
 */
async function queueInstall(deps: Deps, licenseId: string, module: PublishedModule, version: ModuleVersion): Promise<ModuleInstallRow | null> {
  const now = deps.clock.now()
  const id = globalThis.crypto.randomUUID()
  const [row] = await deps.db.insert(moduleInstalls).values({ id, licenseId, moduleId: module.id, version: version.version, status: 'queued', createdAt: now, updatedAt: now })
    .onConflictDoNothing().returning()
  if (!row) return null
  const message = buildInstallMessage(deps, id, module, version)
  await enqueueAgentMessage(deps, { id, licenseId, kind: 'module_install', refId: id, payload: message })
  return row
}

export interface RequestInstallResult {
  /** true → 202 (queued now); false → 200 (that version is already installed). */
  queued: boolean
  install: ModuleInstall
}

function conflictFor(module: PublishedModule, install: ModuleInstall | undefined): Conflict {
  return new Conflict(`An install of ${module.name} is already in progress`, install ? { install } : undefined)
}

/** POST /api/modules/install: 404 unknown module or version, 409 while one is in flight, 200 if already installed. */
export async function requestInstall(deps: Deps, licenseId: string, input: InstallInput): Promise<RequestInstallResult> {
  const module = await findPublishedModule(deps, input.module_id)
  if (!module) throw new NotFound('Module')
  const version = input.version === undefined ? module.versions[0] : module.versions.find(v => v.version === input.version)
  if (!version) throw new NotFound(`Version ${input.version} of module ${module.id}`)
  const result = await deps.db.transaction(async (tx): Promise<RequestInstallResult> => {
    const running = await inFlightInstall(tx, licenseId, module.id)
    if (running) throw conflictFor(module, running)
    const [installed] = await tx.select().from(moduleInstalls)
      .where(and(eq(moduleInstalls.licenseId, licenseId), eq(moduleInstalls.moduleId, module.id), eq(moduleInstalls.status, 'installed')))
      .orderBy(desc(moduleInstalls.finishedAt), desc(moduleInstalls.createdAt))
      .limit(1)
    if (installed?.version === version.version) return { queued: false, install: presentInstall(installed) }
    const row = await queueInstall({ ...deps, db: tx }, licenseId, module, version)
    // Lost a race with a concurrent request for the same module (the partial unique index).
    if (!row) throw conflictFor(module, undefined)
    return { queued: true, install: presentInstall(row) }
  }).catch(async (error: unknown) => {
    if (error instanceof Conflict && !error.data) throw conflictFor(module, await inFlightInstall(deps.db, licenseId, module.id))
    throw error
  })
  if (result.queued) notifyOutbox()
  return result
}

/**
 * Queues `moduleId` (latest version) unless the server has it installed or an install is in
 * flight, or it is not published. For automatic installs (enabling the webstore), inside the
 * caller's transaction.
 */
export async function queueInstallIfMissing(deps: Deps, licenseId: string, moduleId: string): Promise<ModuleInstallRow | null> {
  const module = await findPublishedModule(deps, moduleId)
  const version = module?.versions[0]
  if (!module || !version) return null
  const [present] = await deps.db.select({ id: moduleInstalls.id }).from(moduleInstalls)
    .where(and(eq(moduleInstalls.licenseId, licenseId), eq(moduleInstalls.moduleId, module.id), inArray(moduleInstalls.status, [...IN_FLIGHT, 'installed'])))
    .limit(1)
  if (present) return null
  return queueInstall(deps, licenseId, module, version)
}

export async function getInstall(deps: Deps, licenseId: string, installId: string): Promise<ModuleInstall> {
  const [found] = await deps.db.select(withOutbox).from(moduleInstalls).leftJoin(deliveries, outboxJoin)
    .where(and(eq(moduleInstalls.id, installId), eq(moduleInstalls.licenseId, licenseId)))
  if (!found) throw new NotFound('Module install')
  return presentInstall(found.install, found.outboxStatus)
}

/** GET /api/modules: the published modules with this license's installed version and latest install. */
export async function listModules(deps: Deps, licenseId: string): Promise<ModuleListing[]> {
  const rows = await deps.db.select(withOutbox).from(moduleInstalls).leftJoin(deliveries, outboxJoin)
    .where(eq(moduleInstalls.licenseId, licenseId))
    .orderBy(asc(moduleInstalls.moduleId), desc(moduleInstalls.createdAt), desc(moduleInstalls.id))
  const latest = new Map<string, ModuleInstall>()
  const installed = new Map<string, ModuleInstallRow>()
  for (const { install, outboxStatus } of rows) {
    if (!latest.has(install.moduleId)) latest.set(install.moduleId, presentInstall(install, outboxStatus))
    const best = installed.get(install.moduleId)
    if (install.status === 'installed' && (!best || (install.finishedAt?.getTime() ?? 0) > (best.finishedAt?.getTime() ?? 0))) installed.set(install.moduleId, install)
  }
  return (await publishedModules(deps)).map(m => presentModuleListing(m, latest.get(m.id) ?? null, installed.get(m.id)?.version ?? null))
}

/** One catalog entry with this server's state: the latest install request and the installed version. */
export function presentModuleListing(module: PublishedModule, last: ModuleInstall | null, installedVersion: string | null): ModuleListing {
  return {
    id: module.id,
    name: module.name,
    description: module.description,
    latest_version: module.versions[0]!.version,
    versions: module.versions.map(x => x.version),
    installed_version: installedVersion,
    install_status: last?.status ?? null,
    last_install: last,
  }
}
