import type { H3Event } from 'h3'
import { deleteCookie, setCookie } from 'h3'
import type { IssuedSession } from '../domains/auth/sessions'
import { SESSION_TTL_SECONDS } from '../../shared/contracts/limits'
import { SESSION_COOKIE } from './auth-guards'
import { isHttps } from './request-info'

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
