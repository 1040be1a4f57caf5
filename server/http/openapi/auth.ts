import { z } from 'zod'
import { LICENSE_STATUSES } from '../../db/schema'
import { claimSchema, loginSchema } from '../../domains/auth/login'
import { licenseHeader } from './modules'
import type { OperationSpec, ResponseSpec } from './registry'

// Sign-in, the session's own user and licenses, and health in the OpenAPI document. Request
// schemas are the ones the routes validate with; responses follow presentUser / presentOwnedLicense.

const userSchema = z.object({ id: z.uuid(), email: z.string().meta({ format: 'email' }) }).meta({ title: 'User' })

export const ownedLicenseSchema = z.object({
  license_id: z.uuid(),
  license_key: z.string().meta({ example: 'CAIRN-7Q2XK-M4PZD-9H3TW-C8VNB' }),
  subdomain: z.string(),
  hostname: z.string().nullable(),
  status: z.enum(LICENSE_STATUSES),
}).meta({ title: 'OwnedLicense' })

const sessionCookie = {
  'Set-Cookie': {
    description: '`cairn_session=<token>; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax` (+ `Secure` behind https)',
    schema: { type: 'string' },
  },
}

const rateLimited: ResponseSpec = {
  description: 'Too many failed sign-ins for this email (5, one back every 3 min) or this client IP (30, one back every 30 s)',
  headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
}

const tags = ['Owner sign-in']

export const authOperations: OperationSpec[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Sign in with email and password',
    description: 'Returns a session JWT (valid 12 h, revoked by logout) and sets the same token as the httpOnly `cairn_session` cookie. The email is compared case-insensitively. A wrong password, an unknown email and an account without a password all answer the same 401.',
    tags,
    body: { schema: loginSchema, examples: { owner: { email: 'owner@example.com', password: 'correct horse battery' } } },
    responses: {
      200: { description: 'Signed in', schema: z.object({ user: userSchema, token: z.string().meta({ description: 'Session JWT (HS256); send as `Authorization: Bearer <token>`' }) }), headers: sessionCookie },
      401: { description: 'Invalid email or password' },
      429: rateLimited,
    },
  },
  {
    method: 'post',
    path: '/api/auth/claim',
    operationId: 'claim',
    summary: 'Set the first password with the claim token from a license\'s panel_url, and sign in',
    description: 'The token is single-use (all of the user\'s outstanding claim links die with it) and expires. Answers like login, plus the license the link was issued for.',
    tags,
    body: { schema: claimSchema, examples: { claim: { token: 'q3J9v0m2X7cK1pLd8sYf4wHtZb6nRe5A', password: 'correct horse battery' } } },
    responses: {
      200: {
        description: 'Password set and signed in',
        schema: z.object({ user: userSchema, token: z.string(), license_id: z.uuid().nullable().meta({ description: 'The license whose panel_url carried the token' }) }),
        headers: sessionCookie,
      },
      400: { description: 'Invalid input (password under 10 characters, malformed token), or `token`: the link expired or was already used' },
    },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    summary: 'Revoke the session and clear the cookie (idempotent)',
    description: 'Takes the bearer token or the cookie. The session row is revoked, so the JWT stops working everywhere at once. Without a valid session it still answers 204. A cookie-authenticated call from another Origin is refused (403).',
    tags,
    responses: {
      204: { description: 'Signed out; `Set-Cookie` clears cairn_session' },
      403: { description: 'Cookie session with a cross-origin Origin/Referer' },
    },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    summary: 'The signed-in user and every license they own',
    tags,
    security: ['userSession'],
    responses: { 200: { description: 'The user and their licenses (all statuses)', schema: z.object({ user: userSchema, licenses: z.array(ownedLicenseSchema) }) } },
  },
  {
    method: 'get',
    path: '/api/license',
    operationId: 'currentLicense',
    summary: 'The license this request acts on (X-License-Id, or the user\'s only usable license)',
    description: 'Lets a client check its license selection. Without the header: the only active or suspended license; 400 naming `X-License-Id` when there are several, 404 when there is none. A header that is not a UUID, or names someone else\'s license, answers 404.',
    tags,
    security: ['userSession'],
    parameters: [licenseHeader],
    responses: { 200: { description: 'The selected license', schema: z.object({ license: ownedLicenseSchema }) } },
  },
  {
    method: 'get',
    path: '/api/health',
    operationId: 'health',
    summary: 'Liveness and dependencies (no auth, no versions)',
    tags: ['Operations'],
    responses: {
      200: { description: 'The database answers', schema: z.object({ status: z.literal('ok'), db: z.literal('ok'), nats: z.enum(['ok', 'disabled', 'down']) }) },
      503: { description: 'The database is unreachable', schema: z.object({ status: z.literal('error'), db: z.literal('down'), nats: z.enum(['ok', 'disabled', 'down']) }) },
    },
  },
]
