import { z } from 'zod'
import type { AppEnv } from '../platform/env'
import { storeUrl } from '../domains/licenses/licenses'

// Route-level shapes shared by the public store endpoints.

// No length or pattern limits here: a subdomain or transaction id that cannot exist is "not
// found" (404, like any other unknown one), decided by the service lookups, never a 400.
export const storeParams = z.object({ subdomain: z.string() })
export const storeTransactionParams = storeParams.extend({ id: z.string() })
export const webhookBody = z.record(z.string(), z.unknown())

/**
 * Where PayPal sends the buyer back. The store's own host when the player is on it
 * (`<subdomain>.<STORE_DOMAIN>`, an exact match only), else `/s/<subdomain>` on the panel origin.
 * Never any other host from the request.
 */
export function storefrontBase(env: Pick<AppEnv, 'publicUrl' | 'storeDomain'>, subdomain: string, requestHost: string | undefined): string {
  if (requestHost && requestHost.toLowerCase() === `${subdomain}.${env.storeDomain}`.toLowerCase()) return storeUrl(env, subdomain)
  return `${env.publicUrl}/s/${subdomain}`
}

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/** `mc-example` for Host `mc-example.<STORE_DOMAIN>` (suffix = `.<STORE_DOMAIN>`), else null. */
export function storefrontSubdomain(host: string | undefined, suffix: string): string | null {
  const h = host?.toLowerCase()
  if (!h || !h.endsWith(suffix)) return null
  const label = h.slice(0, -suffix.length)
  return LABEL_RE.test(label) ? label : null
}
