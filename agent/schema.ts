import delivery from '../docs/schemas/delivery.schema.json'
import moduleInstall from '../docs/schemas/module-install.schema.json'
import { UUID_RE } from '../shared/rules/uuid'

// Messages are checked against the contract's JSON Schemas (docs/schemas, bundled into the
// agent). A small validator for the keywords those files use keeps the agent dependency-free.

type Schema = Record<string, unknown>

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v)
    case 'array': return Array.isArray(v)
    case 'string': return typeof v === 'string'
    case 'boolean': return typeof v === 'boolean'
    case 'null': return v === null
    case 'integer': return Number.isInteger(v)
    case 'number': return typeof v === 'number'
    default: return false
  }
}

function formatOk(format: string, v: string): boolean {
  if (format === 'uuid') return UUID_RE.test(v)
  if (format === 'date-time') return !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v)
  if (format === 'uri') return URL.canParse(v)
  return true
}

/** The first problem found, as `path: message`, or null when `v` matches. */
export function validate(schema: Schema, v: unknown, path = '$'): string | null {
  const types = schema.type === undefined ? [] : [schema.type].flat() as string[]
  if (types.length && !types.some(t => typeOk(t, v))) return `${path}: must be ${types.join(' or ')}`
  if (Array.isArray(schema.enum) && !schema.enum.includes(v)) return `${path}: must be one of ${schema.enum.join(', ')}`
  if ('const' in schema && schema.const !== v) return `${path}: must be ${String(schema.const)}`
  if (typeof v === 'string') {
    if (typeof schema.minLength === 'number' && v.length < schema.minLength) return `${path}: too short`
    if (typeof schema.maxLength === 'number' && v.length > schema.maxLength) return `${path}: too long`
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) return `${path}: does not match ${schema.pattern}`
    if (typeof schema.format === 'string' && !formatOk(schema.format, v)) return `${path}: not a ${schema.format}`
  }
  if (Array.isArray(v)) {
    if (typeof schema.minItems === 'number' && v.length < schema.minItems) return `${path}: too few items`
    if (typeof schema.maxItems === 'number' && v.length > schema.maxItems) return `${path}: too many items`
    if (schema.items) {
      for (let i = 0; i < v.length; i++) {
        const p = validate(schema.items as Schema, v[i], `${path}.${i}`)
        if (p) return p
      }
    }
  }
  if (typeOk('object', v)) {
    const obj = v as Record<string, unknown>
    const props = (schema.properties ?? {}) as Record<string, Schema>
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) return `${path}.${key}: required`
    for (const [key, value] of Object.entries(obj)) {
      if (props[key]) {
        const p = validate(props[key], value, `${path}.${key}`)
        if (p) return p
      }
      else if (schema.additionalProperties === false) return `${path}.${key}: not allowed`
    }
  }
  return null
}

export const validateDelivery = (v: unknown) => validate(delivery as Schema, v)
export const validateModuleInstall = (v: unknown) => validate(moduleInstall as Schema, v)
