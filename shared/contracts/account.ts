import { z } from 'zod'
import { loginResponseSchema } from './auth'
import { emailSchema, isoTime, passwordSchema, text } from './fields'
import { LOGIN_CHALLENGE_TTL_SECONDS, PASSWORD_MAX_LENGTH, RECOVERY_CODE_COUNT } from './limits'

// Account security (API.md "Account security"): password reset by mail, password change,
// sessions, TOTP two-factor and the second sign-in step.

const required = (max: number) => text().min(1, 'is required').max(max, `must be at most ${max} characters`)

export const passwordResetRequestSchema = z.object({ email: emailSchema })
export type PasswordResetRequestInput = z.output<typeof passwordResetRequestSchema>

const invalidResetToken = 'is not a valid reset token'
export const passwordResetConfirmSchema = z.object({
  token: text().min(16, invalidResetToken).max(128, invalidResetToken).regex(/^[A-Za-z0-9_-]+$/, invalidResetToken),
  password: passwordSchema,
})
export type PasswordResetConfirmInput = z.output<typeof passwordResetConfirmSchema>

export const passwordChangeSchema = z.object({
  current_password: required(PASSWORD_MAX_LENGTH),
  new_password: passwordSchema,
})
export type PasswordChangeInput = z.output<typeof passwordChangeSchema>

/** A TOTP (6 digits) or a recovery code (`XXXX-XXXX-XXXX`); spaces and dashes are ignored. */
const code = required(64).meta({ description: 'A 6-digit code from the authenticator app, or an unused recovery code' })

export const twoFactorEnableSchema = z.object({ code })
export const twoFactorDisableSchema = z.object({ password: required(PASSWORD_MAX_LENGTH), code })
export type TwoFactorDisableInput = z.output<typeof twoFactorDisableSchema>
export const twoFactorVerifySchema = z.object({
  challenge: required(1024).meta({ description: 'The `challenge` that login answered with' }),
  code,
})
export type TwoFactorVerifyInput = z.output<typeof twoFactorVerifySchema>

export const emptyResponseSchema = z.strictObject({})

export const passwordChangeResponseSchema = z.strictObject({
  revoked_sessions: z.number().int().min(0).meta({ description: 'How many other sessions were signed out' }),
})
export type PasswordChangeResponse = z.output<typeof passwordChangeResponseSchema>

export const sessionSchema = z.strictObject({
  id: z.uuid(),
  created_at: isoTime,
  last_seen_at: isoTime.meta({ description: 'Updated at most once a minute' }),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  current: z.boolean().meta({ description: 'The session making this request' }),
}).meta({ title: 'Session' })
export type SessionView = z.output<typeof sessionSchema>
export const sessionsResponseSchema = z.strictObject({ sessions: z.array(sessionSchema) })
export type SessionsResponse = z.output<typeof sessionsResponseSchema>

export const twoFactorStatusSchema = z.strictObject({
  enabled: z.boolean(),
  enabled_at: isoTime.nullable(),
  recovery_codes_left: z.number().int().min(0),
})
export type TwoFactorStatus = z.output<typeof twoFactorStatusSchema>

export const twoFactorSetupResponseSchema = z.strictObject({
  secret: z.string().meta({ description: 'Base32 TOTP secret (SHA-1, 6 digits, 30 s), for manual entry; never shown again' }),
  otpauth_url: z.string().meta({ description: '`otpauth://totp/...`: what authenticator apps read from a QR code' }),
})
export type TwoFactorSetupResponse = z.output<typeof twoFactorSetupResponseSchema>

export const twoFactorEnableResponseSchema = z.strictObject({
  recovery_codes: z.array(z.string()).length(RECOVERY_CODE_COUNT).meta({ description: 'Single-use codes, shown only here' }),
})
export type TwoFactorEnableResponse = z.output<typeof twoFactorEnableResponseSchema>

export const twoFactorChallengeSchema = z.strictObject({
  two_factor_required: z.literal(true),
  challenge: z.string().meta({ description: `Opaque; send it with a code to /api/auth/2fa/verify within ${LOGIN_CHALLENGE_TTL_SECONDS / 60} minutes` }),
}).meta({ title: 'TwoFactorChallenge' })
export type TwoFactorChallenge = z.output<typeof twoFactorChallengeSchema>

/** What login and reset-confirm answer: a session, or (with 2FA on) the challenge for the second step. */
export const signInResultSchema = z.union([loginResponseSchema, twoFactorChallengeSchema])
export type SignInResult = z.output<typeof signInResultSchema>
