import type { H3Event } from 'h3'
import { getCookie, getRequestHeader } from 'h3'
import type { License, User } from '../db/schema'
import { Conflict, Forbidden, InvalidInput, NotFound, Unauthorized } from '../platform/errors'
import { findUserLicense, listUsableLicenses } from '../domains/licenses/licenses'
import { verifySession } from '../domains/auth/sessions'
import { useDeps } from './deps'
import { requestOrigin } from './request-info'
import { UUID_RE } from '../../shared/rules/uuid'

export const SESSION_COOKIE = 'cairn_session'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface UserContext {
  user: User
  sessionId: string
}

/**
 * Cookie-authenticated unsafe requests must come from our own origin (CSRF). A request with
 * neither Origin nor Referer is not a browser form/fetch and carries no ambient-authority risk.
 */
function assertSameOrigin(event: H3Event, publicUrl: string): void {
  const origin = getRequestHeader(event, 'origin') ?? refererOrigin(getRequestHeader(event, 'referer'))
  if (origin === undefined) return
  const allowed = new Set([new URL(publicUrl).origin, requestOrigin(event)])
  if (!allowed.has(origin)) throw new Forbidden('Cross-origin request refused')
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined
  try {
    return new URL(referer).origin
  }
  catch {
    return 'null'
  }
}

/** Authenticates the user from `Authorization: Bearer` or the session cookie; 401 otherwise. */
export async function requireUser(event: H3Event): Promise<UserContext> {
  const deps = await useDeps()
  const authorization = getRequestHeader(event, 'authorization')
  let token: string | undefined
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    if (!match?.[1]) throw new Unauthorized('Malformed Authorization header')
    token = match[1]
  }
  else {
    token = getCookie(event, SESSION_COOKIE)
    if (token && !SAFE_METHODS.has(event.method)) assertSameOrigin(event, deps.env.publicUrl)
  }
  if (!token) throw new Unauthorized('Sign in required')
  const verified = await verifySession(deps, token)
  return { user: verified.user, sessionId: verified.sessionId }
}

export interface LicenseContext extends UserContext {
  license: License
}

/**
 * The license an owner request acts on: `X-License-Id`, or the user's only usable (not revoked)
 * license. A license of someone else answers 404 exactly like one that does not exist.
 */
export async function requireLicense(event: H3Event): Promise<LicenseContext> {
  const userContext = await requireUser(event)
  const deps = await useDeps()
  const header = getRequestHeader(event, 'x-license-id')?.trim()
  if (header) {
    if (!UUID_RE.test(header)) throw new NotFound('License')
    const license = await findUserLicense(deps, userContext.user.id, header.toLowerCase())
    // A revoked license stays readable (transactions, exports) but can no longer be changed.
    if (license.status === 'revoked' && !SAFE_METHODS.has(event.method)) throw new Conflict('This license was revoked: its data is read-only')
    return { ...userContext, license }
  }
  const usable = await listUsableLicenses(deps, userContext.user.id)
  if (usable.length === 1 && usable[0]) return { ...userContext, license: usable[0] }
  if (usable.length === 0) throw new NotFound('License')
  throw new InvalidInput([{ path: 'X-License-Id', message: 'you have several licenses: name one with the X-License-Id header' }])
}
