import { signInResultSchema } from '../../../shared/contracts/account'
import { claimResponseSchema, claimSchema, loginSchema, meResponseSchema } from '../../../shared/contracts/auth'
import { healthyResponseSchema, unhealthyResponseSchema } from '../../../shared/contracts/health'
import { setCookieHeader } from '../../../shared/contracts/http'
import { currentLicenseResponseSchema } from '../../../shared/contracts/licenses'
import { describeRate, PASSWORD_MIN_LENGTH, SESSION_TTL_SECONDS, SIGN_IN_FAILURES_PER_EMAIL, SIGN_IN_FAILURES_PER_IP } from '../../../shared/contracts/limits'
import { ownerArea } from './common'
import { apiArea, rateLimited } from './registry'

// Sign-in, the session's own user and licenses, and health (docs/owner-api.md, docs/operations.md).

const signIn = apiArea({ tags: ['Owner sign-in'] })
const session = ownerArea('Owner sign-in')

export const sessionCookie = {
  'Set-Cookie': {
    description: `\`cairn_session=<token>; Path=/; Max-Age=${SESSION_TTL_SECONDS}; HttpOnly; SameSite=Lax\` (+ \`Secure\` behind https)`,
    schema: setCookieHeader,
  },
}
const password = 'correct horse battery'

export const authOperations = [
  signIn.post('/api/auth/login', 'login', 'Sign in with email and password', {
    description: `Returns a session JWT (valid ${SESSION_TTL_SECONDS / 3600} h, revoked by logout) and sets the same token as the httpOnly \`cairn_session\` cookie. The email is compared case-insensitively. A wrong password, an unknown email and an account without a password all answer the same 401. With two-factor on, the right password answers \`{ two_factor_required: true, challenge }\` with no token and no cookie: finish with /api/auth/2fa/verify.`,
    body: { schema: loginSchema, examples: { owner: { email: 'owner@example.com', password } } },
    responses: {
      200: { description: 'Signed in, or the second-factor challenge', schema: signInResultSchema, headers: sessionCookie },
      401: { description: 'Invalid email or password' },
      429: rateLimited(`Too many failed sign-ins for this email (${describeRate(SIGN_IN_FAILURES_PER_EMAIL)}) or this client IP (${describeRate(SIGN_IN_FAILURES_PER_IP)})`),
    },
  }),
  signIn.post('/api/auth/claim', 'claim', 'Set the first password with the claim token from a license\'s panel_url, and sign in', {
    description: 'The token is single-use (all of the user\'s outstanding claim links die with it) and expires. Answers like login, plus the license the link was issued for.',
    body: { schema: claimSchema, examples: { claim: { token: 'q3J9v0m2X7cK1pLd8sYf4wHtZb6nRe5A', password } } },
    responses: {
      200: { description: 'Password set and signed in', schema: claimResponseSchema, headers: sessionCookie },
      400: { description: `Invalid input (password under ${PASSWORD_MIN_LENGTH} characters, malformed token), or \`token\`: the link expired or was already used` },
    },
  }),
  signIn.post('/api/auth/logout', 'logout', 'Revoke the session and clear the cookie (idempotent)', {
    description: 'Takes the bearer token or the cookie. The session row is revoked, so the JWT stops working everywhere at once. Without a valid session it still answers 204. A cookie-authenticated call from another Origin is refused (403).',
    responses: {
      204: { description: 'Signed out; `Set-Cookie` clears cairn_session' },
      403: { description: 'Cookie session with a cross-origin Origin/Referer' },
    },
  }),
  session.get('/api/auth/me', 'me', 'The signed-in user and every license they own', {
    headers: [],
    responses: { 200: { description: 'The user and their licenses (all statuses)', schema: meResponseSchema } },
  }),
  session.get('/api/license', 'currentLicense', 'The license this request acts on (X-License-Id, or the user\'s only usable license)', {
    description: 'Lets a client check its license selection. Without the header: the only active or suspended license; 400 naming `X-License-Id` when there are several, 404 when there is none. A header that is not a UUID, or names someone else\'s license, answers 404.',
    responses: { 200: { description: 'The selected license', schema: currentLicenseResponseSchema } },
  }),
  apiArea({ tags: ['Operations'] }).get('/api/health', 'health', 'Liveness and dependencies (no auth, no versions)', {
    responses: {
      200: { description: 'The database answers', schema: healthyResponseSchema },
      503: { description: 'The database is unreachable', schema: unhealthyResponseSchema },
    },
  }),
]
