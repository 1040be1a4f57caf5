import {
  emptyResponseSchema, passwordChangeResponseSchema, passwordChangeSchema, passwordResetConfirmSchema, passwordResetRequestSchema,
  sessionsResponseSchema, signInResultSchema, twoFactorDisableSchema, twoFactorEnableResponseSchema, twoFactorEnableSchema,
  twoFactorSetupResponseSchema, twoFactorStatusSchema, twoFactorVerifySchema,
} from '../../../shared/contracts/account'
import { resourceIdParamsSchema } from '../../../shared/contracts/webstore'
import {
  describeRate, LOGIN_CHALLENGE_TTL_SECONDS, PASSWORD_RESET_REQUESTS_PER_EMAIL, PASSWORD_RESET_REQUESTS_PER_IP,
  PASSWORD_RESET_TTL_MINUTES, RECOVERY_CODE_COUNT, SIGN_IN_FAILURES_PER_EMAIL,
} from '../../../shared/contracts/limits'
import { sessionCookie } from './auth'
import { apiArea, rateLimited } from './registry'

// Account security (docs/owner-api.md "Account security"): reset by mail, password change,
// sessions and TOTP two-factor.

const open = apiArea({ tags: ['Account security'] })
const signedIn = apiArea({ tags: ['Account security'], security: 'userSession' })
const password = 'correct horse battery'
const wrongCodes = rateLimited(`Too many wrong passwords or codes for this account (${describeRate(SIGN_IN_FAILURES_PER_EMAIL)}, shared with sign-in)`)
const signInAnswer = {
  description: `Signed in (token + \`cairn_session\` cookie), or, with two-factor on, \`{ two_factor_required: true, challenge }\` without a token or cookie: send the challenge and a code to /api/auth/2fa/verify within ${LOGIN_CHALLENGE_TTL_SECONDS / 60} minutes`,
  schema: signInResultSchema,
  headers: sessionCookie,
}

export const accountOperations = [
  open.post('/api/auth/password-reset/request', 'requestPasswordReset', 'Mail a password reset link', {
    description: `Always 202 \`{}\`, with the same body and the same work on the request path whether or not the address has an account; the mail (to known addresses only) leaves from a queue. The link \`<PUBLIC_URL>/reset/<token>\` works once, for ${PASSWORD_RESET_TTL_MINUTES} minutes.`,
    body: { schema: passwordResetRequestSchema, examples: { owner: { email: 'owner@example.com' } } },
    responses: {
      202: { description: 'Queued (or silently dropped for an unknown address)', schema: emptyResponseSchema },
      429: rateLimited(`Too many requests for this address (${describeRate(PASSWORD_RESET_REQUESTS_PER_EMAIL)}) or this client IP (${describeRate(PASSWORD_RESET_REQUESTS_PER_IP)})`),
    },
  }),
  open.post('/api/auth/password-reset/confirm', 'confirmPasswordReset', 'Set a new password with a reset link, and sign in', {
    description: 'Every session of the user ends, and every other outstanding reset or claim link dies. Answers like login: with two-factor on, the second factor is still required.',
    body: { schema: passwordResetConfirmSchema, examples: { reset: { token: 'q3J9v0m2X7cK1pLd8sYf4wHtZb6nRe5A0s1d2f3g4h5', password } } },
    responses: {
      200: signInAnswer,
      400: { description: 'Invalid input (a password shorter than the minimum), or `token`: unknown, used or expired' },
    },
  }),
  signedIn.post('/api/auth/password', 'changePassword', 'Change the password (the current one is required)', {
    description: 'Every other session of the user ends; this one stays.',
    body: { schema: passwordChangeSchema, examples: { change: { current_password: password, new_password: 'a longer new passphrase' } } },
    responses: {
      200: { description: 'Changed', schema: passwordChangeResponseSchema },
      400: { description: 'Invalid input (a new password shorter than the minimum)' },
      403: { description: 'The current password is wrong' },
      429: wrongCodes,
    },
  }),
  signedIn.get('/api/auth/sessions', 'listSessions', 'The user\'s live sessions', {
    responses: { 200: { description: 'Most recently used first; `current` marks this request\'s session', schema: sessionsResponseSchema } },
  }),
  signedIn.delete('/api/auth/sessions/{id}', 'deleteSession', 'Sign one session out', {
    description: 'Its token is refused from the next request on. Another user\'s session, an ended one or a malformed id answers 404.',
    params: resourceIdParamsSchema,
    responses: { 204: { description: 'Signed out' }, 404: { description: 'No such live session of this user' } },
  }),
  signedIn.get('/api/auth/2fa', 'twoFactorStatus', 'Whether two-factor sign-in is on', {
    responses: { 200: { description: 'Status and unused recovery codes', schema: twoFactorStatusSchema } },
  }),
  signedIn.post('/api/auth/2fa/setup', 'setupTwoFactor', 'Start two-factor setup: a new TOTP secret', {
    description: 'The secret is stored sealed and is never returned again; it takes effect only after /api/auth/2fa/enable with a code from it. Calling setup again replaces a pending secret.',
    responses: { 200: { description: 'The secret and the otpauth:// URL to show as a QR code', schema: twoFactorSetupResponseSchema }, 409: { description: 'Two-factor is already on' } },
  }),
  signedIn.post('/api/auth/2fa/enable', 'enableTwoFactor', 'Turn two-factor on with a code from the new secret', {
    body: { schema: twoFactorEnableSchema, examples: { code: { code: '123456' } } },
    responses: {
      200: { description: `${RECOVERY_CODE_COUNT} single-use recovery codes, shown only here`, schema: twoFactorEnableResponseSchema },
      400: { description: '`code`: not the current code of the pending secret' },
      409: { description: 'Already on, or no setup was started' },
    },
  }),
  signedIn.post('/api/auth/2fa/disable', 'disableTwoFactor', 'Turn two-factor off (password and a code)', {
    description: 'The code may be a TOTP or an unused recovery code. Every other session ends.',
    body: { schema: twoFactorDisableSchema, examples: { off: { password, code: '123456' } } },
    responses: {
      200: { description: 'Off', schema: emptyResponseSchema },
      400: { description: '`code`: not a current code or an unused recovery code' },
      403: { description: 'The password is wrong' },
      409: { description: 'Two-factor is not on' },
      429: wrongCodes,
    },
  }),
  open.post('/api/auth/2fa/verify', 'verifyTwoFactor', 'Second sign-in step: the challenge and a code', {
    description: 'A TOTP code is accepted once (not again within its window); a recovery code once ever.',
    body: { schema: twoFactorVerifySchema, examples: { totp: { challenge: 'v1.…', code: '123456' }, recovery: { challenge: 'v1.…', code: 'K7QM-2XPD-9HTW' } } },
    responses: {
      200: { description: 'Signed in', schema: signInResultSchema, headers: sessionCookie },
      401: { description: 'Wrong or already used code, or a forged, expired or outdated challenge' },
      429: wrongCodes,
    },
  }),
]
