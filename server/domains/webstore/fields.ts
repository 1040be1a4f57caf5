import { NotFound } from '../../platform/errors'
import { UUID_RE } from '../../../shared/rules/uuid'

/** A route's `:id`: anything that is not a UUID cannot name a resource, so it is a 404, not a 400. */
export function resourceId(raw: string | undefined, what: string): string {
  if (!raw || !UUID_RE.test(raw)) throw new NotFound(what)
  return raw.toLowerCase()
}
