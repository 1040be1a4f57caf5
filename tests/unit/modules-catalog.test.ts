import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ModuleInstallRow } from '../../server/db/schema'
import { findModule, findModuleVersion, MODULE_CATALOG } from '../../server/domains/modules/catalog'
import { buildInstallMessage, presentInstall } from '../../server/domains/modules/installs'
import { installInputSchema } from '../../shared/contracts/modules'

// The shipped catalog and the install message, checked against docs/schemas/module-install.schema.json.

interface FlatSchema {
  required: string[]
  additionalProperties: boolean
  properties: Record<string, { pattern?: string }>
}
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/schemas/module-install.schema.json'), 'utf8')) as FlatSchema

function schemaProblems(message: Record<string, unknown>): string[] {
  const problems = schema.required.filter(k => !(k in message)).map(k => `missing ${k}`)
  for (const [key, value] of Object.entries(message)) {
    const prop = schema.properties[key]
    if (!prop) problems.push(`extra ${key}`)
    else if (typeof value !== 'string') problems.push(`${key} not a string`)
    else if (prop.pattern && !new RegExp(prop.pattern).test(value)) problems.push(`${key} does not match ${prop.pattern}`)
  }
  return problems
}

describe('module catalog', () => {
  it('has webstore and at least two other modules, unique ids, newest version first', () => {
    const ids = MODULE_CATALOG.map(m => m.id)
    expect(ids).toContain('webstore')
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBeGreaterThanOrEqual(3)
    for (const m of MODULE_CATALOG) {
      const versions = m.versions.map(v => v.version.split('.').map(Number))
      const sorted = [...versions].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!)
      expect(versions).toEqual(sorted)
      expect(new Set(m.versions.map(v => v.sha256)).size).toBe(m.versions.length)
    }
  })

  it('every version builds a message that matches the published JSON Schema', () => {
    for (const m of MODULE_CATALOG) {
      for (const v of m.versions) {
        const message = buildInstallMessage('3f0b8f5e-2a0c-4c1e-9a57-0d4e1c6b2f10', m, v)
        expect(schemaProblems({ ...message }), `${m.id} ${v.version}`).toEqual([])
        expect(message.download_url).toMatch(new RegExp(`^https://.+/${m.id}/${v.version.replace(/\./g, '\\.')}/.+\\.jar$`))
      }
    }
    expect(schemaProblems({ id: 'x', module_id: 'Bad Id', version: '1', download_url: 'u', sha256: 'abc', extra: 1 })).toEqual(expect.arrayContaining(['extra extra', expect.stringContaining('module_id'), expect.stringContaining('sha256')]))
  })

  it('finds modules and versions; no version means the latest', () => {
    const webstore = findModule('webstore')!
    expect(findModuleVersion(webstore)).toBe(webstore.versions[0])
    expect(findModuleVersion(webstore, webstore.versions[1]!.version)).toBe(webstore.versions[1])
    expect(findModuleVersion(webstore, '0.0.0')).toBeUndefined()
    expect(findModule('WEBSTORE')).toBeUndefined()
  })
})

describe('install input', () => {
  it('accepts catalog-shaped ids and versions and names the bad field', () => {
    expect(installInputSchema.safeParse({ module_id: 'discord-bridge', version: '0.9.2' }).success).toBe(true)
    expect(installInputSchema.safeParse({ module_id: 'webstore' }).success).toBe(true)
    for (const [body, path] of [
      [{}, 'module_id'],
      [{ module_id: '' }, 'module_id'],
      [{ module_id: '../etc' }, 'module_id'],
      [{ module_id: 'x'.repeat(65) }, 'module_id'],
      [{ module_id: 'webstore', version: '' }, 'version'],
      [{ module_id: 'webstore', version: '1.0 && reboot' }, 'version'],
      [{ module_id: 'webstore', version: 3 }, 'version'],
      // Malformed versions are a 400 naming the field, not an unknown version (404).
      [{ module_id: 'webstore', version: 'v1.3.0' }, 'version'],
      [{ module_id: 'webstore', version: 'latest' }, 'version'],
      [{ module_id: 'webstore', version: '1.3' }, 'version'],
      [{ module_id: 'webstore', version: '01.3.0' }, 'version'],
      [{ module_id: 'webstore', version: '1.3.0.4' }, 'version'],
      [{ module_id: 'webstore', version: '../1.3.0' }, 'version'],
    ] as const) {
      const result = installInputSchema.safeParse(body)
      expect(result.success, JSON.stringify(body)).toBe(false)
      expect(result.error?.issues[0]?.path.join('.')).toBe(path)
    }
    expect(installInputSchema.safeParse({ module_id: 'webstore', version: '2.0.0-rc.1' }).success).toBe(true)
  })

  it('says "must be a string" for a wrong type and "is required" only when missing', () => {
    expect(installInputSchema.safeParse({ module_id: 123 }).error?.issues[0]?.message).toBe('must be a string')
    expect(installInputSchema.safeParse({ module_id: 'webstore', version: 3 }).error?.issues[0]?.message).toBe('must be a string')
    expect(installInputSchema.safeParse({}).error?.issues[0]?.message).toBe('is required')
  })
})

describe('install presentation', () => {
  const row: ModuleInstallRow = {
    id: '3f0b8f5e-2a0c-4c1e-9a57-0d4e1c6b2f10',
    licenseId: '11111111-1111-4111-8111-111111111111',
    moduleId: 'backups',
    version: '2.4.1',
    status: 'queued',
    detail: null,
    finishedAt: null,
    createdAt: new Date('2026-11-26T00:00:00Z'),
    updatedAt: new Date('2026-11-26T00:00:00Z'),
  }

  it('reports "sent" once the outbox row went out, and the stored status otherwise', () => {
    expect(presentInstall(row).status).toBe('queued')
    expect(presentInstall(row, 'pending').status).toBe('queued')
    expect(presentInstall(row, 'sent').status).toBe('sent')
    expect(presentInstall({ ...row, status: 'installed' }, 'done').status).toBe('installed')
    expect(presentInstall({ ...row, status: 'failed', detail: 'no disk' }, 'failed')).toMatchObject({ status: 'failed', detail: 'no disk' })
    expect(presentInstall(row)).toEqual({
      id: row.id,
      module_id: 'backups',
      version: '2.4.1',
      status: 'queued',
      detail: null,
      created_at: '2026-11-26T00:00:00.000Z',
      updated_at: '2026-11-26T00:00:00.000Z',
      finished_at: null,
    })
  })
})
