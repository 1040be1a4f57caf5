import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { AgentConfig } from './config'
import { cairnFetch, onPanelOrigin } from './cairn'
import type { Ack, Journal } from './journal'
import { info } from './log'

export interface ModuleInstallMessage {
  id: string
  module_id: string
  version: string
  download_url: string
  sha256: string
  filename?: string
}

/** A file name that stays inside CAIRN_MODULES_DIR, whatever Cairn sent. */
export function safeFilename(name: string): boolean {
  return name.length > 0 && name.length <= 128 && !/[/\\]/.test(name) && !name.includes('..') && !name.startsWith('.') && !name.includes('\0')
}

function fallbackName(m: ModuleInstallMessage): string {
  try {
    return decodeURIComponent(new URL(m.download_url).pathname.split('/').pop() ?? '')
  }
  catch {
    return ''
  }
}

/** Downloads, verifies and installs one module: the file appears complete or not at all. */
export async function installModule(config: AgentConfig, journal: Journal, m: ModuleInstallMessage): Promise<Ack> {
  const failed = (detail: string): Ack => ({ id: m.id, kind: 'module_install', status: 'failed', detail })
  const filename = m.filename ?? fallbackName(m)
  if (!safeFilename(filename)) return failed(`refused file name ${JSON.stringify(filename).slice(0, 140)}: it must not contain a path separator or '..'`)
  let bytes: Buffer
  try {
    const res = onPanelOrigin(config, m.download_url)
      ? await cairnFetch(config, new URL(m.download_url).pathname, { method: 'GET', timeoutMs: 120_000 })
      : await fetch(m.download_url, { signal: AbortSignal.timeout(120_000) })
    if (!res.ok) return failed(`download of ${m.module_id} ${m.version} answered HTTP ${res.status}`)
    bytes = Buffer.from(await res.arrayBuffer())
  }
  catch (e) {
    return failed(`download of ${m.module_id} ${m.version} failed: ${(e as Error).message}`)
  }
  const digest = createHash('sha256').update(bytes).digest('hex')
  if (digest !== m.sha256) return failed(`sha256 mismatch: downloaded file is ${digest.slice(0, 12)}…, expected ${m.sha256.slice(0, 12)}…; nothing installed`)
  try {
    mkdirSync(config.modulesDir, { recursive: true })
    const target = join(config.modulesDir, filename)
    const tmp = join(config.modulesDir, `.${filename}.${process.pid}.part`)
    const fd = openSync(tmp, 'w')
    try {
      writeSync(fd, bytes)
      fsyncSync(fd)
    }
    finally {
      closeSync(fd)
    }
    renameSync(tmp, target)
    const previous = journal.modules.get(m.module_id)
    journal.write({ t: 'module', module_id: m.module_id, filename })
    if (previous && previous !== filename && safeFilename(previous)) rmSync(join(config.modulesDir, previous), { force: true })
    info('module_installed', { id: m.id, module_id: m.module_id, version: m.version, file: target, removed: previous && previous !== filename ? previous : null })
  }
  catch (e) {
    return failed(`could not write ${filename} into ${config.modulesDir}: ${(e as Error).message}`)
  }
  return { id: m.id, kind: 'module_install', status: 'done', detail: `installed ${filename} (${bytes.length} bytes, sha256 verified)` }
}
