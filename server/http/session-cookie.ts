import type { H3Event } from 'h3'
import { deleteCookie, getRequestHeader, setCookie } from 'h3'
import type { SignInClient } from '../domains/auth/login'
import type { IssuedSession } from '../domains/auth/sessions'
import type { SignInOutcome } from '../domains/auth/sign-in'
import { presentUser } from '../domains/auth/users'
import type { SignInResult } from '../../shared/contracts/account'
import { SESSION_TTL_SECONDS } from '../../shared/contracts/limits'
import { SESSION_COOKIE } from './auth-guards'
import { getClientIp, isHttps } from './request-info'

export function setSessionCookie(event: H3Event, session: IssuedSession): void {
  setCookie(event, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(event),
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  })
}

export function clearSessionCookie(event: H3Event): void {
  deleteCookie(event, SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isHttps(event), path: '/' })
}

/** Who is signing in: the client IP (as TRUST_PROXY allows) and the User-Agent. */
export function signInClient(event: H3Event): SignInClient {
  return { ip: getClientIp(event), userAgent: getRequestHeader(event, 'user-agent') ?? null }
}

/** The answer of every sign-in step: the session (token + cookie), or the second-factor challenge without either. */
export function replySignIn(event: H3Event, outcome: SignInOutcome): SignInResult {
  if (outcome.kind === 'challenge') return { two_factor_required: true, challenge: outcome.challenge }
  setSessionCookie(event, outcome.session)
  return { user: presentUser(outcome.user), token: outcome.session.token }
}
