import { z } from 'zod'
import { integer } from './fields'

// Headers and non-JSON bodies the API documents.

/** X-License-Id: the license (game server) an owner request acts on; optional when the user has only one. */
export const licenseIdHeader = z.uuid()
/** Retry-After on a 429: whole seconds. */
export const retryAfterHeader = integer.min(1)
/** Set-Cookie of a sign-in: the session token as the httpOnly `cairn_session` cookie. */
export const setCookieHeader = z.string()
/** The body of a CSV download. */
export const csvBody = z.string()
