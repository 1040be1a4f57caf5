import { z } from 'zod'
import { ownedLicenseSchema } from './licenses'
import { emailSchema, passwordSchema, text } from './fields'
import { CLAIM_TOKEN_MAX_LENGTH, CLAIM_TOKEN_MIN_LENGTH, EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from './limits'

// Sign-in and the session's own user (POST /api/auth/login, /claim, GET /api/auth/me).

export const loginSchema = z.object({
  email: text().trim().min(1, 'is required').max(EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`),
  password: text().min(1, 'is required').max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
})
export type LoginInput = z.output<typeof loginSchema>

const invalidClaimToken = 'is not a valid claim token'
export const claimSchema = z.object({
  token: text().min(CLAIM_TOKEN_MIN_LENGTH, invalidClaimToken).max(CLAIM_TOKEN_MAX_LENGTH, invalidClaimToken).regex(/^[A-Za-z0-9_-]+$/, invalidClaimToken),
  password: passwordSchema,
})
export type ClaimInput = z.output<typeof claimSchema>

/** `user:create` (operator CLI). */
export const createUserSchema = z.object({ email: emailSchema, password: passwordSchema })

export const userSchema = z.strictObject({ id: z.uuid(), email: z.email() }).meta({ title: 'User' })
export type UserView = z.output<typeof userSchema>

const sessionToken = z.string().meta({ description: 'Session JWT (HS256); send as `Authorization: Bearer <token>`' })

export const loginResponseSchema = z.strictObject({ user: userSchema, token: sessionToken })
export type LoginResponse = z.output<typeof loginResponseSchema>

export const claimResponseSchema = z.strictObject({
  user: userSchema,
  token: sessionToken,
  license_id: z.uuid().nullable().meta({ description: 'The license whose panel_url carried the token' }),
})
export type ClaimResponse = z.output<typeof claimResponseSchema>

export const meResponseSchema = z.strictObject({ user: userSchema, licenses: z.array(ownedLicenseSchema) })
export type MeResponse = z.output<typeof meResponseSchema>
