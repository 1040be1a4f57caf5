import type { AppEnv } from '../platform/env'
import { storeUrl } from '../domains/licenses/licenses'
import { SUBDOMAIN_RE } from '../../shared/rules/subdomain'

/**
 * Where PayPal sends the buyer back. The store's own host when the player is on it
 * (`<subdomain>.<STORE_DOMAIN>`, an exact match only), else `/s/<subdomain>` on the panel origin.
 * Never any other host from the request.
 */
export function storefrontBase(env: Pick<AppEnv, 'publicUrl' | 'storeDomain'>, subdomain: string, requestHost: string | undefined): string {
  if (requestHost && requestHost.toLowerCase() === `${subdomain}.${env.storeDomain}`.toLowerCase()) return storeUrl(env, subdomain)
  return `${env.publicUrl}/s/${subdomain}`
}

/** `mc-example` for Host `mc-example.<STORE_DOMAIN>` (suffix = `.<STORE_DOMAIN>`), else null. */
export function storefrontSubdomain(host: string | undefined, suffix: string): string | null {
  const h = host?.toLowerCase()
  if (!h || !h.endsWith(suffix)) return null
  const label = h.slice(0, -suffix.length)
  return SUBDOMAIN_RE.test(label) ? label : null
}
