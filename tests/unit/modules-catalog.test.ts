import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ModuleInstallRow } from '../../server/db/schema'
import { compareSemver, isModuleVersion, type ModuleVersion } from '../../server/domains/modules/registry'
import { buildInstallMessage, presentInstall } from '../../server/domains/modules/installs'
import { installInputSchema } from '../../shared/contracts/modules'

// Registry rules and the install message, checked against docs/schemas/module-install.schema.json.

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

describe('module registry rules', () => {
  const version: ModuleVersion = { version: '1.3.0', sha256: 'a'.repeat(64), size: 3, filename: 'webstore-1.3.0.jar', published_at: '2026-11-26T00:00:00.000Z' }

  it('builds an install message that matches the published JSON Schema: the registry URL, the real digest and the file name', () => {
    const message = buildInstallMessage({ env: { publicUrl: 'https://panel.example.com' } }, '3f0b8f5e-2a0c-4c1e-9a57-0d4e1c6b2f10', { id: 'webstore' }, version)
    expect(schemaProblems({ ...message })).toEqual([])
    expect(message).toMatchObject({ download_url: 'https://panel.example.com/api/agent/modules/webstore/1.3.0', sha256: version.sha256, filename: 'webstore-1.3.0.jar' })
    expect(schemaProblems({ id: 'x', module_id: 'Bad Id', version: '1', download_url: 'u', sha256: 'abc', extra: 1 })).toEqual(expect.arrayContaining(['extra extra', expect.stringContaining('module_id'), expect.stringContaining('sha256')]))
  })

  it('orders versions by semver precedence, pre-releases before their release', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-alpha', '0.9.9', '2.0.0'].sort(compareSemver)
    expect(sorted).toEqual(['0.9.9', '1.2.0-alpha', '1.2.0-rc.1', '1.2.0', '1.10.0', '2.0.0'])
  })

  it('accepts semantic versions only', () => {
    for (const good of ['0.0.1', '1.2.3', '2.0.0-rc.1', '1.0.0+build.5']) expect(isModuleVersion(good), good).toBe(true)
    for (const bad of ['v1.0.0', '1.0', '01.0.0', '1.0.0.0', '../1.0.0', '1.0.0 ', 'x'.repeat(33)]) expect(isModuleVersion(bad), bad).toBe(false)
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
